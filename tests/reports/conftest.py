"""Reports reuse the exam fixtures (a small keyed bank, a fixed draw, an exam factory) and the
article links' sample regulation."""

from tests.article_links.conftest import library, link  # noqa: F401
from tests.exams.conftest import drawn, make_exam, objective_only, paper, questions  # noqa: F401
from tests.reports.fixtures import sitting  # noqa: F401
