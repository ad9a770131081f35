"""remember the option order a random-practice answer was given in, so its feedback shows it

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN, no batch mode (see 0014). Earlier answers keep NULL: the bank's order.


def upgrade():
    op.add_column('practice_answer', sa.Column('option_order', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('practice_answer', 'option_order')
