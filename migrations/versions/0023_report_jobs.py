"""reports: background export jobs (file kept in the database) and saved report definitions

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('report', sa.String(length=40), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('monthly', sa.Boolean(), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("format IN ('xlsx', 'csv', 'pdf')", name=op.f('ck_saved_report_format')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_saved_report_owner_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_report')),
    sa.UniqueConstraint('owner_id', 'name', name=op.f('uq_saved_report_owner_id_name'))
    )
    op.create_table('report_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('report', sa.String(length=40), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('saved_report_id', sa.Integer(), nullable=True),
    sa.Column('scheduled_month', sa.String(length=7), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=250), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_report_job_status')),
    sa.CheckConstraint("format IN ('xlsx', 'csv', 'pdf')", name=op.f('ck_report_job_format')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_report_job_progress')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_report_job_owner_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_report_id'], ['saved_report.id'], name=op.f('fk_report_job_saved_report_id_saved_report'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_job')),
    sa.UniqueConstraint('saved_report_id', 'scheduled_month', name=op.f('uq_report_job_saved_report_id_scheduled_month'))
    )
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.create_index('ix_report_job_owner_created', ['owner_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.drop_index('ix_report_job_owner_created')
    op.drop_table('report_job')
    op.drop_table('saved_report')
