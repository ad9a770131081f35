"""Department fixtures: the exam and course factories, to hang assignments on departments."""

from tests.courses.conftest import make_course  # noqa: F401  (fixtures)
from tests.exams.conftest import drawn, make_exam, paper, questions  # noqa: F401
