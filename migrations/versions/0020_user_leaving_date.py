"""user.leaving_date: the day HR says an employee leaves, so the account closes on that day

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


# Plain ALTER TABLE … ADD/DROP COLUMN (SQLite 3.35+), never batch mode: rebuilding `user` on
# SQLite, whose foreign keys are on, would cascade-delete every user's roles and sessions.


def upgrade():
    op.add_column('user', sa.Column('leaving_date', sa.Date(), nullable=True))


def downgrade():
    op.drop_column('user', 'leaving_date')
