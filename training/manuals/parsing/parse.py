"""parse_manual: bytes of an uploaded file → every regulation in it, with problems."""

from __future__ import annotations

from pathlib import PurePath

from question_bank.texts import N_

from .classify import is_regulation
from .cleaning import clean_lines
from .model import Document, ManualParseResult, ManualProblem
from .sources import ManualReadError, read_lines
from .splitting import split_segments, tokenize_document
from .structure import Draft, build_document

UNTITLED = "未命名制度"


def parse_manual(
    data: bytes, filename: str | None = None, title: str | None = None
) -> ManualParseResult:
    """Split, clean and structure the regulations in one .txt/.md/.docx file; never raises."""
    try:
        lines, encoding = read_lines(data, filename)
    except ManualReadError as error:
        return ManualParseResult(problems=[ManualProblem(1, "error", str(error))])
    cleaned = clean_lines(lines)
    if not any(cleaned):
        return ManualParseResult(
            problems=[ManualProblem(1, "error", N_("文档为空"))], encoding=encoding
        )
    fallback = PurePath(filename).stem if filename else UNTITLED
    drafts = [
        build_document(segment, fallback) for segment in split_segments(tokenize_document(cleaned))
    ]
    result = _collect(drafts, encoding)
    _apply_title(result.documents, drafts, title)
    return result


def _collect(drafts: list[Draft], encoding: str) -> ManualParseResult:
    """Keep the regulations; in a file with several texts, skip the ones that are not."""
    result = ManualParseResult(encoding=encoding)
    single = len(drafts) == 1
    for draft in drafts:
        if not single and not is_regulation(draft.document):
            result.problems.append(_skipped(draft.document))
            continue
        index = len(result.documents)
        result.documents.append(draft.document)
        result.problems += [
            ManualProblem(p.line, p.severity, p.message, document=index) for p in draft.problems
        ]
    if single and not drafts[0].document.parts:
        result.documents.clear()
    result.problems.sort(key=lambda problem: problem.line)
    return result


def _skipped(document: Document) -> ManualProblem:
    return ManualProblem(
        document.line,
        "warning",
        N_("已跳过不像制度的内容「%(title)s」", title=document.title[:20]),
    )


def _apply_title(documents: list[Document], drafts: list[Draft], title: str | None) -> None:
    """--title names the only document, or else the documents whose title was not found."""
    if not title:
        return
    found = {id(draft.document): draft.found_title for draft in drafts}
    for document in documents:
        if len(documents) == 1 or not found[id(document)]:
            document.title = title
            document.refresh_addresses()
