"""courses: lessons (manual sections, pages, quizzes), assignments, progress, completions, images

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 13:25:41.097166

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sequential', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_course_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('title', name=op.f('uq_course_title'))
    )
    op.create_table('course_image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_course_image_uploaded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_image')),
    sa.UniqueConstraint('sha256', name=op.f('uq_course_image_sha256'))
    )
    op.create_table('course_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(department_id IS NULL) <> (user_id IS NULL)', name=op.f('ck_course_assignment_department_or_user')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], name=op.f('fk_course_assignment_assigned_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_assignment_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_course_assignment_department_id_department')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_course_assignment_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_assignment')),
    sa.UniqueConstraint('course_id', 'department_id', name=op.f('uq_course_assignment_course_id_department_id')),
    sa.UniqueConstraint('course_id', 'user_id', name=op.f('uq_course_assignment_course_id_user_id'))
    )
    with op.batch_alter_table('course_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_assignment_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_assignment_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_assignment_user_id'), ['user_id'], unique=False)

    op.create_table('course_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_completion_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_course_completion_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_completion')),
    sa.UniqueConstraint('course_id', 'user_id', name=op.f('uq_course_completion_course_id_user_id'))
    )
    with op.batch_alter_table('course_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_completion_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_completion_user_id'), ['user_id'], unique=False)

    op.create_table('course_lesson',
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
    sa.CheckConstraint("completion IN ('opened', 'min_time', 'quiz_passed')", name=op.f('ck_course_lesson_completion')),
    sa.CheckConstraint("kind <> 'manual' OR (manual_id IS NOT NULL AND anchor IS NOT NULL)", name=op.f('ck_course_lesson_manual_section')),
    sa.CheckConstraint("kind <> 'quiz' OR (exam_id IS NOT NULL AND completion = 'quiz_passed')", name=op.f('ck_course_lesson_quiz_exam')),
    sa.CheckConstraint("kind IN ('manual', 'page', 'quiz')", name=op.f('ck_course_lesson_kind')),
    sa.CheckConstraint('min_seconds >= 0', name=op.f('ck_course_lesson_min_seconds')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_lesson_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exam_id'], ['exam.id'], name=op.f('fk_course_lesson_exam_id_exam')),
    sa.ForeignKeyConstraint(['manual_id'], ['manual.id'], name=op.f('fk_course_lesson_manual_id_manual')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_lesson'))
    )
    with op.batch_alter_table('course_lesson', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_lesson_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_lesson_exam_id'), ['exam_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_lesson_manual_id'), ['manual_id'], unique=False)

    op.create_table('lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['lesson_id'], ['course_lesson.id'], name=op.f('fk_lesson_progress_lesson_id_course_lesson'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_lesson_progress_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_progress')),
    sa.UniqueConstraint('lesson_id', 'user_id', name=op.f('uq_lesson_progress_lesson_id_user_id'))
    )
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_progress_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_progress_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_progress_user_id'))
        batch_op.drop_index(batch_op.f('ix_lesson_progress_lesson_id'))

    op.drop_table('lesson_progress')
    with op.batch_alter_table('course_lesson', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_lesson_manual_id'))
        batch_op.drop_index(batch_op.f('ix_course_lesson_exam_id'))
        batch_op.drop_index(batch_op.f('ix_course_lesson_course_id'))

    op.drop_table('course_lesson')
    with op.batch_alter_table('course_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_completion_user_id'))
        batch_op.drop_index(batch_op.f('ix_course_completion_course_id'))

    op.drop_table('course_completion')
    with op.batch_alter_table('course_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_assignment_user_id'))
        batch_op.drop_index(batch_op.f('ix_course_assignment_department_id'))
        batch_op.drop_index(batch_op.f('ix_course_assignment_course_id'))

    op.drop_table('course_assignment')
    op.drop_table('course_image')
    op.drop_table('course')
