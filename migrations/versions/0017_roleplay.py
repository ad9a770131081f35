"""role-play: scenarios with frozen versions, their assignments, runs and the steps of each run

The enum CHECKs are written out (frozen as of this revision), as 0015 does; the tables are new,
so SQLite gets them in CREATE TABLE without batch rebuilds. At most one run per user and
scenario is in progress (a partial unique index), so a double-pressed Start makes one run.
Assignments have the shape every assignment table shares (0016): one user, or a department
and/or a position, each target at most once per scenario.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 21:27:46.701280

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# Frozen copies of training.people.audience.assignment_constraints as of this revision.
ONE_TARGET = "(user_id IS NOT NULL) <> (department_id IS NOT NULL OR position IS NOT NULL)"
PARTIAL_UNIQUE = [('department_only', 'department_id', 'position IS NULL'),
                  ('position_only', 'position', 'department_id IS NULL')]


def upgrade():
    op.create_table('scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('max_runs', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.CheckConstraint("channel IN ('phone', 'counter', 'chat')", name=op.f('ck_scenario_channel')),
    sa.CheckConstraint('max_runs IS NULL OR max_runs > 0', name=op.f('ck_scenario_max_runs_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_scenario_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario')),
    sa.UniqueConstraint('key', name=op.f('uq_scenario_key'))
    )
    op.create_table('scenario_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.String(length=64), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint(ONE_TARGET, name=op.f('ck_scenario_assignment_one_target')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_scenario_assignment_department_id_department')),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_scenario_assignment_scenario_id_scenario'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_scenario_assignment_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_assignment')),
    sa.UniqueConstraint('scenario_id', 'department_id', 'position', name=op.f('uq_scenario_assignment_scenario_id_department_id_position')),
    sa.UniqueConstraint('scenario_id', 'user_id', name=op.f('uq_scenario_assignment_scenario_id_user_id'))
    )
    with op.batch_alter_table('scenario_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_assignment_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scenario_assignment_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scenario_assignment_user_id'), ['user_id'], unique=False)
    for name, column, where in PARTIAL_UNIQUE:
        clause = sa.text(where)
        op.create_index(f'uq_scenario_assignment_{name}', 'scenario_assignment', ['scenario_id', column],
                        unique=True, sqlite_where=clause, postgresql_where=clause)

    op.create_table('scenario_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('max_score', sa.Double(), nullable=False),
    sa.Column('min_score', sa.Double(), nullable=False),
    sa.Column('maxima', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_scenario_version_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_scenario_version_scenario_id_scenario'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_version')),
    sa.UniqueConstraint('scenario_id', 'number', name=op.f('uq_scenario_version_scenario_id_number'))
    )
    with op.batch_alter_table('scenario_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_version_scenario_id'), ['scenario_id'], unique=False)

    op.create_table('scenario_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('playtest', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('node_id', sa.String(length=64), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('mood', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('dimensions', sa.JSON(), nullable=True),
    sa.CheckConstraint("outcome IN ('resolved', 'escalated', 'lost')", name=op.f('ck_scenario_run_outcome')),
    sa.CheckConstraint("state IN ('in_progress', 'pending_review', 'ended')", name=op.f('ck_scenario_run_state')),
    sa.CheckConstraint('mood >= 0 AND mood <= 100', name=op.f('ck_scenario_run_mood_range')),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_scenario_run_scenario_id_scenario'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_scenario_run_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['scenario_version.id'], name=op.f('fk_scenario_run_version_id_scenario_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_run'))
    )
    with op.batch_alter_table('scenario_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_run_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scenario_run_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scenario_run_version_id'), ['version_id'], unique=False)
        batch_op.create_index('uq_scenario_run_open', ['scenario_id', 'user_id', 'playtest'], unique=True, sqlite_where=sa.text("state = 'in_progress'"), postgresql_where=sa.text("state = 'in_progress'"))

    op.create_table('scenario_run_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.String(length=64), nullable=False),
    sa.Column('option_id', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('points', sa.JSON(), nullable=False),
    sa.Column('mood_after', sa.Integer(), nullable=False),
    sa.Column('critical', sa.Text(), nullable=True),
    sa.Column('suggested', sa.Boolean(), nullable=False),
    sa.Column('reviewed_points', sa.JSON(), nullable=True),
    sa.Column('review_reason', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_scenario_run_step_reviewed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['scenario_run.id'], name=op.f('fk_scenario_run_step_run_id_scenario_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_run_step')),
    sa.UniqueConstraint('run_id', 'step', name=op.f('uq_scenario_run_step_run_id_step'))
    )


def downgrade():
    op.drop_table('scenario_run_step')
    with op.batch_alter_table('scenario_run', schema=None) as batch_op:
        batch_op.drop_index('uq_scenario_run_open', sqlite_where=sa.text("state = 'in_progress'"), postgresql_where=sa.text("state = 'in_progress'"))
        batch_op.drop_index(batch_op.f('ix_scenario_run_version_id'))
        batch_op.drop_index(batch_op.f('ix_scenario_run_user_id'))
        batch_op.drop_index(batch_op.f('ix_scenario_run_scenario_id'))

    op.drop_table('scenario_run')
    with op.batch_alter_table('scenario_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_version_scenario_id'))

    op.drop_table('scenario_version')
    for name, _column, _where in PARTIAL_UNIQUE:
        op.drop_index(f'uq_scenario_assignment_{name}', table_name='scenario_assignment')
    with op.batch_alter_table('scenario_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_assignment_user_id'))
        batch_op.drop_index(batch_op.f('ix_scenario_assignment_scenario_id'))
        batch_op.drop_index(batch_op.f('ix_scenario_assignment_department_id'))

    op.drop_table('scenario_assignment')
    op.drop_table('scenario')
