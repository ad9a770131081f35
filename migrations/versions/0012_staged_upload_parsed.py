"""keep each staged upload's parse result beside it, so a preview is parsed once

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Uploads awaiting preview have no stored result; they are short-lived, so they are
    # dropped (the user uploads again) rather than parsed here.
    op.execute("DELETE FROM staged_upload")
    with op.batch_alter_table('staged_upload', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parsed', sa.JSON(), nullable=False))


def downgrade():
    with op.batch_alter_table('staged_upload', schema=None) as batch_op:
        batch_op.drop_column('parsed')
