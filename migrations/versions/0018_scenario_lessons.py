"""course lessons on role-play scenarios: kind 'scenario', done once a run of it has passed

PostgreSQL changes the constraints in place. SQLite must rebuild `course_lesson` to change its
CHECKs, and dropping the old table, whose foreign keys are on, cascade-deletes every learner's
lesson progress (see 0010): the rows are kept aside in a temporary table and put back.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# The constraints that change, before and after this revision (frozen copies).
OLD = {
    'kind': "kind IN ('manual', 'page', 'quiz')",
    'completion': "completion IN ('opened', 'min_time', 'quiz_passed')",
}
NEW = {
    'kind': "kind IN ('manual', 'page', 'quiz', 'scenario')",
    'completion': "completion IN ('opened', 'min_time', 'quiz_passed', 'run_passed')",
    'scenario_run': "kind <> 'scenario' OR (scenario_id IS NOT NULL AND completion = 'run_passed')",
}


def _lesson_table(checks):
    """`course_lesson` as 0009 made it, with the given CHECKs (batch mode's copy source)."""
    return sa.Table(
        'course_lesson', sa.MetaData(),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('ordinal', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('completion', sa.String(length=12), nullable=False),
        sa.Column('min_seconds', sa.Integer(), nullable=False),
        sa.Column('manual_id', sa.Integer(), nullable=True),
        sa.Column('anchor', sa.String(length=200), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('exam_id', sa.Integer(), nullable=True),
        *(sa.CheckConstraint(text, name=f'ck_course_lesson_{name}') for name, text in checks.items()),
        sa.CheckConstraint("kind <> 'manual' OR (manual_id IS NOT NULL AND anchor IS NOT NULL)", name='ck_course_lesson_manual_section'),
        sa.CheckConstraint("kind <> 'quiz' OR (exam_id IS NOT NULL AND completion = 'quiz_passed')", name='ck_course_lesson_quiz_exam'),
        sa.CheckConstraint('min_seconds >= 0', name='ck_course_lesson_min_seconds'),
        sa.ForeignKeyConstraint(['course_id'], ['course.id'], name='fk_course_lesson_course_id_course', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['exam_id'], ['exam.id'], name='fk_course_lesson_exam_id_exam'),
        sa.ForeignKeyConstraint(['manual_id'], ['manual.id'], name='fk_course_lesson_manual_id_manual'),
        sa.PrimaryKeyConstraint('id', name='pk_course_lesson'),
        sa.Index('ix_course_lesson_course_id', 'course_id'),
        sa.Index('ix_course_lesson_exam_id', 'exam_id'),
        sa.Index('ix_course_lesson_manual_id', 'manual_id'),
    )


def _keeping_progress(change):
    """Run `change`; on SQLite keep the lesson progress its table rebuild would delete."""
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute('CREATE TEMP TABLE kept_lesson_progress AS SELECT * FROM lesson_progress')
    change(sqlite)
    if sqlite:
        op.execute('INSERT INTO lesson_progress SELECT * FROM kept_lesson_progress '
                   'WHERE id NOT IN (SELECT id FROM lesson_progress)')
        op.execute('DROP TABLE kept_lesson_progress')


def upgrade():
    def change(sqlite):
        source = _lesson_table(OLD) if sqlite else None
        with op.batch_alter_table('course_lesson', copy_from=source) as batch_op:
            batch_op.add_column(sa.Column('scenario_id', sa.Integer(), nullable=True))
            batch_op.create_index(op.f('ix_course_lesson_scenario_id'), ['scenario_id'], unique=False)
            batch_op.create_foreign_key(op.f('fk_course_lesson_scenario_id_scenario'), 'scenario', ['scenario_id'], ['id'])
            for name in OLD:
                batch_op.drop_constraint(op.f(f'ck_course_lesson_{name}'), type_='check')
            for name, text in NEW.items():
                batch_op.create_check_constraint(op.f(f'ck_course_lesson_{name}'), text)
    _keeping_progress(change)


def downgrade():
    op.execute("DELETE FROM course_lesson WHERE kind = 'scenario'")

    def change(sqlite):
        source = None
        if sqlite:
            source = _lesson_table(NEW)
            source.append_column(sa.Column('scenario_id', sa.Integer(), nullable=True))
            source.append_constraint(sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name='fk_course_lesson_scenario_id_scenario'))
            sa.Index('ix_course_lesson_scenario_id', source.c.scenario_id)
        with op.batch_alter_table('course_lesson', copy_from=source) as batch_op:
            for name in NEW:
                batch_op.drop_constraint(op.f(f'ck_course_lesson_{name}'), type_='check')
            batch_op.drop_constraint(op.f('fk_course_lesson_scenario_id_scenario'), type_='foreignkey')
            batch_op.drop_index(op.f('ix_course_lesson_scenario_id'))
            batch_op.drop_column('scenario_id')
            for name, text in OLD.items():
                batch_op.create_check_constraint(op.f(f'ck_course_lesson_{name}'), text)
    _keeping_progress(change)
