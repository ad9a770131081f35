"""CHECK constraints on the enum-like columns (exam settings, finish reason, question status, type)

So a bad value is refused by the database whichever code path writes it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 23:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# Frozen copies of the enums as of this revision (training/exams/models.py,
# training/bank/models.py, question_bank/types.py): a migration must not follow later edits.
QUESTION_TYPES = ('single', 'multiple', 'true_false', 'fill_blank', 'short_answer', 'essay', 'case')
CHECKS = {
    'exam': {
        'kind': ('formal', 'mock', 'quiz'),
        'grading_method': ('highest', 'last', 'first', 'average'),
        'navigation': ('free', 'sequential'),
        'review_when': ('immediately', 'after_close', 'never'),
        'multiple_rule': ('all_or_nothing', 'partial'),
    },
    'attempt': {'finish_reason': ('submitted', 'auto_closed')},
    'question': {'status': ('draft', 'ready', 'archived'), 'type': QUESTION_TYPES},
    'question_version': {'type': QUESTION_TYPES},
}


def upgrade():
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                listed = ', '.join(f"'{value}'" for value in values)
                batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'), f'{column} IN ({listed})')


def downgrade():
    for table, columns in reversed(CHECKS.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
