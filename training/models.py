"""Every feature's models, imported together so the metadata (and Alembic) sees them all."""

from training.audit.models import AuditEvent
from training.imports.models import StagedUpload
from training.people.models import Department, User, UserRole

__all__ = ["AuditEvent", "Department", "StagedUpload", "User", "UserRole"]
