"""article links: questions linked to the manual articles they test

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 13:11:33.213369

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_article_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('manual_id', sa.Integer(), nullable=False),
    sa.Column('anchor', sa.String(length=200), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('changed_in_version', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_question_article_link_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['manual_id'], ['manual.id'], name=op.f('fk_question_article_link_manual_id_manual'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_article_link_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_article_link')),
    sa.UniqueConstraint('question_id', 'manual_id', 'anchor', name=op.f('uq_question_article_link_question_id_manual_id_anchor'))
    )
    with op.batch_alter_table('question_article_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_article_link_manual_id'), ['manual_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_article_link_question_id'), ['question_id'], unique=False)



def downgrade():
    with op.batch_alter_table('question_article_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_article_link_question_id'))
        batch_op.drop_index(batch_op.f('ix_question_article_link_manual_id'))

    op.drop_table('question_article_link')
