"""CHECK constraints on the enum-like columns (exam settings, finish reason, question status, type)

So a bad value is refused by the database whichever code path writes it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 23:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
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


# PostgreSQL gets the CHECK constraints the models declare. SQLite cannot add a constraint
# without rebuilding the table (batch mode), and rebuilding `exam`, `attempt` or `question`
# while its foreign keys are on would cascade-delete their assignments, answers and versions
# (see 0010); there, triggers named like the constraints refuse the same values instead.


def _listed(values):
    return ', '.join(f"'{value}'" for value in values)


def _checks():
    for table, columns in CHECKS.items():
        for column, values in columns.items():
            yield table, column, f'ck_{table}_{column}', _listed(values)


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, column, name, listed in _checks():
        if not sqlite:
            op.create_check_constraint(op.f(name), table, f'{column} IN ({listed})')
            continue
        for event in ('INSERT', f'UPDATE OF {column}'):
            op.execute(
                f"CREATE TRIGGER {name}_{event.split()[0].lower()} BEFORE {event} ON {table} "
                f"WHEN NEW.{column} NOT IN ({listed}) "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
            )


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, _column, name, _listed_values in reversed(list(_checks())):
        if not sqlite:
            op.drop_constraint(op.f(name), table, type_='check')
            continue
        for event in ('insert', 'update'):
            op.execute(f'DROP TRIGGER {name}_{event}')
