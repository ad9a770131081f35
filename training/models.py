"""Every feature's models, imported together so the metadata (and Alembic) sees them all."""

from training.article_links.models import QuestionArticleLink
from training.audit.models import AuditEvent
from training.auth.models import ApiToken, LoginSession
from training.bank.models import (
    Category,
    Question,
    QuestionBank,
    QuestionKnowledgePoint,
    QuestionTag,
    QuestionVersion,
)
from training.benchdata.models import BenchCeiling
from training.certification.models import (
    CertEvent,
    Certificate,
    CertLevel,
    CertRuleVersion,
    CertStatus,
)
from training.courses.models import (
    Course,
    CourseAssignment,
    CourseCompletion,
    CourseImage,
    Lesson,
    LessonProgress,
)
from training.exams.models import (
    Answer,
    Attempt,
    AttemptEvent,
    AttemptQuestion,
    Exam,
    ExamAssignment,
    ExamOverride,
    PreparedDraw,
    PreparedQuestion,
)
from training.imports.models import StagedUpload
from training.manuals.models import Manual, ManualEdition, ManualPart, ReadConfirmation
from training.papers.models import Paper, PaperItem, PaperSection
from training.people.models import Department, User, UserRole
from training.practice.models import Favourite, PracticeAnswer, WrongBookEntry
from training.reports.models import ReportJob, SavedReport
from training.roleplay.models import (
    RunStep,
    Scenario,
    ScenarioAssignment,
    ScenarioRun,
    ScenarioVersion,
)

__all__ = [
    "Answer",
    "ApiToken",
    "Attempt",
    "AttemptEvent",
    "AttemptQuestion",
    "AuditEvent",
    "BenchCeiling",
    "Category",
    "CertEvent",
    "CertLevel",
    "CertRuleVersion",
    "CertStatus",
    "Certificate",
    "Course",
    "CourseAssignment",
    "CourseCompletion",
    "CourseImage",
    "Department",
    "Exam",
    "ExamAssignment",
    "ExamOverride",
    "Favourite",
    "Lesson",
    "LessonProgress",
    "LoginSession",
    "Manual",
    "ManualEdition",
    "ManualPart",
    "Paper",
    "PaperItem",
    "PaperSection",
    "PreparedDraw",
    "PreparedQuestion",
    "PracticeAnswer",
    "Question",
    "QuestionArticleLink",
    "QuestionBank",
    "QuestionKnowledgePoint",
    "QuestionTag",
    "QuestionVersion",
    "ReadConfirmation",
    "ReportJob",
    "RunStep",
    "SavedReport",
    "Scenario",
    "ScenarioAssignment",
    "ScenarioRun",
    "ScenarioVersion",
    "StagedUpload",
    "User",
    "UserRole",
    "WrongBookEntry",
]
