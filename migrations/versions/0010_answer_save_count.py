"""count saves per answer instead of per attempt, so an autosave writes one row

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# Per attempt: its total before this migration, and its saved answers (grading gives unanswered
# questions a row with seq 0).
ATTEMPT_TOTAL = "(SELECT a.save_count FROM attempt a WHERE a.id = answer.attempt_id)"
SAVED = "(SELECT count(*) FROM answer b WHERE b.attempt_id = answer.attempt_id AND b.seq > 0)"
FIRST_SAVED = (
    "(SELECT min(c.id) FROM answer c WHERE c.attempt_id = answer.attempt_id AND c.seq > 0)"
)


# Plain ALTER TABLE … ADD/DROP COLUMN (SQLite 3.35+), never batch mode: rebuilding `attempt`
# on SQLite, whose foreign keys are on, would cascade-delete every attempt's questions and answers.


def upgrade():
    op.add_column('answer', sa.Column('save_count', sa.Integer(), server_default='0', nullable=False))
    # Every saved answer was saved at least once; an attempt's extra saves go to its first saved
    # answer, so the attempt's total (now the sum over its answers) stays what it was.
    op.execute(
        f"UPDATE answer SET save_count = 1 + CASE WHEN id = {FIRST_SAVED} "
        f"AND {ATTEMPT_TOTAL} > {SAVED} THEN {ATTEMPT_TOTAL} - {SAVED} ELSE 0 END WHERE seq > 0"
    )
    op.drop_column('attempt', 'save_count')


def downgrade():
    op.add_column('attempt', sa.Column('save_count', sa.Integer(), server_default='0', nullable=False))
    op.execute(
        "UPDATE attempt SET save_count = "
        "(SELECT coalesce(sum(s.save_count), 0) FROM answer s WHERE s.attempt_id = attempt.id)"
    )
    op.drop_column('answer', 'save_count')
