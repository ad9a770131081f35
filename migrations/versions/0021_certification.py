"""certification: levels, rule versions, certificates, each employee's status and history

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cert_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('validity_months', sa.Integer(), nullable=True),
    sa.Column('expiry_base', sa.String(length=20), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('department_ids', sa.JSON(), nullable=False),
    sa.Column('positions', sa.JSON(), nullable=False),
    sa.Column('prerequisite_ids', sa.JSON(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("expiry_base IN ('completion', 'previous_expiry')", name=op.f('ck_cert_level_expiry_base')),
    sa.CheckConstraint('validity_months IS NULL OR validity_months > 0', name=op.f('ck_cert_level_validity')),
    sa.CheckConstraint('window_days >= 0', name=op.f('ck_cert_level_window_days')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_level')),
    sa.UniqueConstraint('code', name=op.f('uq_cert_level_code')),
    sa.UniqueConstraint('name', name=op.f('uq_cert_level_name'))
    )
    op.create_table('cert_rule_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_cert_rule_version_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['level_id'], ['cert_level.id'], name=op.f('fk_cert_rule_version_level_id_cert_level'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_rule_version')),
    sa.UniqueConstraint('level_id', 'number', name=op.f('uq_cert_rule_version_level_id_number'))
    )
    with op.batch_alter_table('cert_rule_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_rule_version_level_id'), ['level_id'], unique=False)
    # The level points at its current version: a cycle, so this key comes once both exist.
    with op.batch_alter_table('cert_level', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_cert_level_current_version', 'cert_rule_version',
                                    ['current_version_id'], ['id'])

    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('rule_version_id', sa.Integer(), nullable=True),
    sa.Column('renews_id', sa.Integer(), nullable=True),
    sa.Column('manual', sa.Boolean(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('holder_name', sa.String(length=100), nullable=False),
    sa.Column('employee_no', sa.String(length=32), nullable=True),
    sa.Column('level_name', sa.String(length=100), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['level_id'], ['cert_level.id'], name=op.f('fk_certificate_level_id_cert_level'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['renews_id'], ['certificate.id'], name=op.f('fk_certificate_renews_id_certificate')),
    sa.ForeignKeyConstraint(['rule_version_id'], ['cert_rule_version.id'], name=op.f('fk_certificate_rule_version_id_cert_rule_version')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_certificate_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_code'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_user_level', ['user_id', 'level_id', 'issued_on'], unique=False)

    op.create_table('cert_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('rule_version_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.CheckConstraint("kind IN ('awarded', 'renewed', 'manual', 'expired', 'revoked', 'flagged', 'flag_kept')", name=op.f('ck_cert_event_kind')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_cert_event_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_cert_event_certificate_id_certificate')),
    sa.ForeignKeyConstraint(['level_id'], ['cert_level.id'], name=op.f('fk_cert_event_level_id_cert_level'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_version_id'], ['cert_rule_version.id'], name=op.f('fk_cert_event_rule_version_id_cert_rule_version')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_cert_event_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_event'))
    )
    with op.batch_alter_table('cert_event', schema=None) as batch_op:
        batch_op.create_index('ix_cert_event_user_level', ['user_id', 'level_id', 'id'], unique=False)

    op.create_table('cert_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('met', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('flagged_at', sa.DateTime(), nullable=True),
    sa.Column('flag_reason', sa.Text(), nullable=True),
    sa.Column('evaluated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'certified', 'expiring', 'expired', 'revoked')", name=op.f('ck_cert_status_status')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_cert_status_certificate_id_certificate'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['level_id'], ['cert_level.id'], name=op.f('fk_cert_status_level_id_cert_level'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_cert_status_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_status')),
    sa.UniqueConstraint('user_id', 'level_id', name=op.f('uq_cert_status_user_id_level_id'))
    )
    with op.batch_alter_table('cert_status', schema=None) as batch_op:
        batch_op.create_index('ix_cert_status_level_status', ['level_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_status_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('cert_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_status_user_id'))
        batch_op.drop_index('ix_cert_status_level_status')

    op.drop_table('cert_status')
    with op.batch_alter_table('cert_event', schema=None) as batch_op:
        batch_op.drop_index('ix_cert_event_user_level')

    op.drop_table('cert_event')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_certificate_user_level')

    op.drop_table('certificate')
    with op.batch_alter_table('cert_rule_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_rule_version_level_id'))

    with op.batch_alter_table('cert_level', schema=None) as batch_op:
        batch_op.drop_constraint('fk_cert_level_current_version', type_='foreignkey')
    op.drop_table('cert_rule_version')
    op.drop_table('cert_level')
