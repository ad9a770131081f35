"""record when an attempt's wrong answers were filed in the wrong-answer book, so it happens once

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 23:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


# Plain ALTER TABLE … ADD/DROP COLUMN (SQLite 3.35+), never batch mode: rebuilding `attempt`
# on SQLite, whose foreign keys are on, would cascade-delete every attempt's questions and answers.
# Existing attempts start unfilled: the first background run files those whose answers are shown
# (already-filed questions stay as they are, removed ones are not brought back).


def upgrade():
    op.add_column('attempt', sa.Column('wrong_book_filled_at', sa.DateTime(), nullable=True))


def downgrade():
    op.drop_column('attempt', 'wrong_book_filled_at')
