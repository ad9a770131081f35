"""Reports reuse the exam fixtures: a small keyed bank, a fixed draw and an exam factory."""

from tests.exams.conftest import drawn, make_exam, objective_only, paper, questions  # noqa: F401
