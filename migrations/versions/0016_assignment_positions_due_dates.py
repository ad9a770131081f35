"""assignments name a position (alone or within a department) and exam assignments a due date

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 21:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# Frozen copies of training.people.audience.assignment_constraints as of this revision.
ONE_TARGET = "(user_id IS NOT NULL) <> (department_id IS NOT NULL OR position IS NOT NULL)"
DEPARTMENT_OR_USER = '(department_id IS NULL) <> (user_id IS NULL)'
TABLES = {'exam_assignment': 'exam_id', 'course_assignment': 'course_id'}

# Batch mode rebuilds these tables on SQLite (a CHECK cannot be changed in place there). That
# is safe: no table refers to an assignment, so dropping the old copy cascades nowhere.


def _partial(table, owner, name, column, where):
    clause = sa.text(where)
    op.create_index(f'uq_{table}_{name}', table, [owner, column], unique=True,
                    sqlite_where=clause, postgresql_where=clause)


def upgrade():
    for table, owner in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('position', sa.String(length=64), nullable=True))
            if table == 'exam_assignment':
                batch_op.add_column(sa.Column('due_at', sa.DateTime(), nullable=True))
            batch_op.drop_constraint(op.f(f'ck_{table}_department_or_user'), type_='check')
            batch_op.drop_constraint(op.f(f'uq_{table}_{owner}_department_id'), type_='unique')
            batch_op.create_check_constraint(op.f(f'ck_{table}_one_target'), ONE_TARGET)
            batch_op.create_unique_constraint(op.f(f'uq_{table}_{owner}_department_id_position'),
                                              [owner, 'department_id', 'position'])
        _partial(table, owner, 'department_only', 'department_id', 'position IS NULL')
        _partial(table, owner, 'position_only', 'position', 'department_id IS NULL')


def downgrade():
    for table, owner in TABLES.items():
        # Rows the old shape cannot hold (a position) go, as the old rule could not reach them.
        op.execute(f'DELETE FROM {table} WHERE position IS NOT NULL')
        op.drop_index(f'uq_{table}_position_only', table_name=table)
        op.drop_index(f'uq_{table}_department_only', table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'uq_{table}_{owner}_department_id_position'), type_='unique')
            batch_op.drop_constraint(op.f(f'ck_{table}_one_target'), type_='check')
            batch_op.create_unique_constraint(op.f(f'uq_{table}_{owner}_department_id'), [owner, 'department_id'])
            batch_op.create_check_constraint(op.f(f'ck_{table}_department_or_user'), DEPARTMENT_OR_USER)
            if table == 'exam_assignment':
                batch_op.drop_column('due_at')
            batch_op.drop_column('position')
