"""Home fixtures: exams, questions and a regulation with a second edition, from the link tests."""

from tests.article_links.conftest import (  # noqa: F401  (fixtures)
    bank,
    drawn,
    library,
    link,
    make_exam,
    paper,
    questions,
    second_edition,
)
