"""practice: practice answers, the wrong-answer book, favourites

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=True),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_practice_answer_question_id_question')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_practice_answer_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['question_version.id'], name=op.f('fk_practice_answer_version_id_question_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_answer'))
    )
    with op.batch_alter_table('practice_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_answer_question_id'), ['question_id'], unique=False)
        batch_op.create_index('ix_practice_answer_user_question', ['user_id', 'question_id'], unique=False)

    op.create_table('wrong_book_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('card', sa.JSON(), nullable=False),
    sa.Column('due', sa.DateTime(), nullable=False),
    sa.Column('right_reviews', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_wrong_book_entry_question_id_question')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_wrong_book_entry_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wrong_book_entry')),
    sa.UniqueConstraint('user_id', 'question_id', name=op.f('uq_wrong_book_entry_user_id_question_id'))
    )
    with op.batch_alter_table('wrong_book_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wrong_book_entry_question_id'), ['question_id'], unique=False)
        batch_op.create_index('ix_wrong_book_entry_user_due', ['user_id', 'removed_at', 'due'], unique=False)

    op.create_table('favourite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_favourite_question_id_question')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_favourite_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_favourite')),
    sa.UniqueConstraint('user_id', 'question_id', name=op.f('uq_favourite_user_id_question_id'))
    )
    with op.batch_alter_table('favourite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_favourite_question_id'), ['question_id'], unique=False)


def downgrade():
    with op.batch_alter_table('favourite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_favourite_question_id'))

    op.drop_table('favourite')
    with op.batch_alter_table('wrong_book_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_wrong_book_entry_user_due')
        batch_op.drop_index(batch_op.f('ix_wrong_book_entry_question_id'))

    op.drop_table('wrong_book_entry')
    with op.batch_alter_table('practice_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_answer_user_question')
        batch_op.drop_index(batch_op.f('ix_practice_answer_question_id'))

    op.drop_table('practice_answer')
