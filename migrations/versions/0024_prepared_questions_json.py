"""prepared_draw.questions_json: a prepared draw's questions as Start sends them, so Start
sends them without reading them back

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    # Draws prepared before this have none: their Start reads the questions back, as before.
    op.add_column('prepared_draw', sa.Column('questions_json', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('prepared_draw', 'questions_json')
