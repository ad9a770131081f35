"""report indexes: none needed — the query plans show the existing indexes serve every report

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 01:30:00.000000

Looked at with EXPLAIN QUERY PLAN (SQLite) and EXPLAIN ANALYZE (PostgreSQL) on the benchmark
data set (`servicecoach bench dataset`, 500,000 answers; bench/reports.py):

* exam figures and item analysis read one exam's attempts by `ix_attempt_exam_id` /
  `uq_attempt_exam_id_user_id_number`, their questions by `uq_attempt_question_attempt_id_*`
  and the answers by `ix_answer_attempt_question_id`: index searches only, ~0.1–0.3 s;
* profile, learning and team comparison reach attempts by `ix_attempt_user_exam` /
  `ix_attempt_exam_id`, progress and completions by their unique (lesson/course, user) keys;
* weak articles read answers by `uq_answer_attempt_id_question_id` (scoped) or scan them.

Tried and left out: answer (attempt_id, question_id, correct) makes SQLite's weak-article count
read the index alone (2.5 s → 1.6 s unscoped, already within the scan's time) but PostgreSQL
never uses it (the count reads answer.id); answer (attempt_question_id, points_awarded) changed
nothing measurable for item analysis. Each would cost every answer insert on exam day. What is
slow is query shape, not a missing index (see the benchmark's report). The revision stays so
the chain the report-jobs migration (0023) builds on is unchanged.
"""


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
