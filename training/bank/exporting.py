"""Downloads of a bank (or a filtered part of it) in the formats other systems read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select

from question_bank.export.gift import export_gift
from question_bank.export.moodle_xml import export_moodle_xml
from question_bank.export.xlsx import export_xlsx
from question_bank.model import Question as PlainQuestion
from training.bank.models import Question, QuestionBank
from training.bank.services import plain_of
from training.database import db
from training.errors import NotFound


@dataclass(frozen=True)
class ExportFormat:
    label: str
    extension: str
    mimetype: str
    write: Callable[[list[PlainQuestion]], bytes]


EXPORTS: dict[str, ExportFormat] = {
    "xlsx": ExportFormat(
        "Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export_xlsx,
    ),
    "gift": ExportFormat(
        "GIFT", "gift.txt", "text/plain; charset=utf-8", lambda qs: export_gift(qs).encode("utf-8")
    ),
    "moodle-xml": ExportFormat("Moodle XML", "xml", "application/xml", export_moodle_xml),
}


@dataclass(frozen=True)
class Download:
    filename: str
    mimetype: str
    data: bytes


def export_bank(bank: QuestionBank, format_name: str, query: Select[tuple[Question]]) -> Download:
    """The questions the query selects, written in the chosen format."""
    chosen = EXPORTS.get(format_name)
    if chosen is None:
        raise NotFound(_("不支持的导出格式"))
    questions = [plain_of(q) for q in db.session.scalars(query)]
    return Download(f"{bank.name}.{chosen.extension}", chosen.mimetype, chosen.write(questions))
