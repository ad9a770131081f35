"""prepared draws: attempts drawn before an exam opens, kept apart from `attempt` until Start

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:17:29.067955

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('prepared_draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('max_score', sa.Double(), nullable=False),
    sa.Column('exam_updated_at', sa.DateTime(), nullable=False),
    sa.Column('paper_id', sa.Integer(), nullable=False),
    sa.Column('paper_updated_at', sa.DateTime(), nullable=False),
    sa.Column('prepared_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['exam_id'], ['exam.id'], name=op.f('fk_prepared_draw_exam_id_exam'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paper_id'], ['paper.id'], name=op.f('fk_prepared_draw_paper_id_paper'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_prepared_draw_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prepared_draw')),
    sa.UniqueConstraint('exam_id', 'user_id', name=op.f('uq_prepared_draw_exam_id_user_id'))
    )
    with op.batch_alter_table('prepared_draw', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prepared_draw_paper_id'), ['paper_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prepared_draw_user_id'), ['user_id'], unique=False)

    op.create_table('prepared_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Double(), nullable=False),
    sa.Column('section_title', sa.String(length=200), nullable=False),
    sa.Column('option_order', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['prepared_draw.id'], name=op.f('fk_prepared_question_draw_id_prepared_draw'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_prepared_question_question_id_question')),
    sa.ForeignKeyConstraint(['version_id'], ['question_version.id'], name=op.f('fk_prepared_question_version_id_question_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prepared_question')),
    sa.UniqueConstraint('draw_id', 'ordinal', name=op.f('uq_prepared_question_draw_id_ordinal'))
    )
    with op.batch_alter_table('prepared_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prepared_question_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prepared_question_version_id'), ['version_id'], unique=False)



def downgrade():
    with op.batch_alter_table('prepared_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prepared_question_version_id'))
        batch_op.drop_index(batch_op.f('ix_prepared_question_question_id'))

    op.drop_table('prepared_question')
    with op.batch_alter_table('prepared_draw', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prepared_draw_user_id'))
        batch_op.drop_index(batch_op.f('ix_prepared_draw_paper_id'))

    op.drop_table('prepared_draw')
