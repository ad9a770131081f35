"""Every feature's models, imported together so the metadata (and Alembic) sees them all."""

from training.audit.models import AuditEvent
from training.bank.models import (
    Category,
    Question,
    QuestionBank,
    QuestionKnowledgePoint,
    QuestionTag,
    QuestionVersion,
)
from training.imports.models import StagedUpload
from training.manuals.models import Manual, ManualEdition, ManualPart, ReadConfirmation
from training.papers.models import Paper, PaperItem, PaperSection
from training.people.models import Department, User, UserRole

__all__ = [
    "AuditEvent",
    "Category",
    "Department",
    "Manual",
    "ManualEdition",
    "ManualPart",
    "Question",
    "Paper",
    "PaperItem",
    "PaperSection",
    "QuestionBank",
    "QuestionKnowledgePoint",
    "QuestionTag",
    "QuestionVersion",
    "ReadConfirmation",
    "StagedUpload",
    "User",
    "UserRole",
]
