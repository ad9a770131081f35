"""What an examinee may see of a question version, kept per process once the version is frozen.

On exam day every Start returns a hundred questions to each of a thousand examinees, and every
autosave checks its response against the question's type and options. Loading the same hundred
versions through the ORM for each of them was most of the cost of both (`bench/exam_day.py`).
A version is immutable once an attempt has shown it (`QuestionVersion.locked`), so its face
can be kept for the life of the process; a version not yet locked is read from the database
every time, because the bank may still edit it in place.

A face holds no key and no explanation: it is exactly what the exam page may show. The number
of blanks of a fill-in question comes from its key's length, but only the count is kept.
The cache belongs to the app (one per process in production; one per test, whose emptied
tables may reuse version ids).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from flask import current_app
from sqlalchemy import select

from question_bank.types import BLANK_MARKER, AnswerKind, get_type
from training.bank.models import QuestionVersion
from training.database import db

CACHE_SIZE = 20_000  # versions; a face is about a kilobyte


@dataclass(frozen=True)
class Face:
    """A question version as the exam page shows it, before any option shuffling."""

    version_id: int
    type: str
    stem: str  # with the case material, if any, above the question
    options: tuple[tuple[str, str], ...]  # (label, text) in the bank's order
    blanks: int  # how many blanks a fill-in question has; 0 for other types
    locked: bool

    @property
    def labels(self) -> list[str]:
        return [label for label, _text in self.options]


def blank_count(type_: str, stem: str, answer: Any) -> int:
    """A fill-in question has one blank per key entry, else one per marker in the stem."""
    if get_type(type_).answer_kind is not AnswerKind.BLANKS:
        return 0
    if isinstance(answer, list) and answer:
        return len(answer)
    return max(1, len(BLANK_MARKER.findall(stem)))


def face_of(version: Any) -> Face:
    """The face of a `QuestionVersion`, or of a row with the same column names."""
    stem = version.stem
    if version.case_material:
        stem = f"{version.case_material}\n\n{stem}"
    return Face(
        version_id=version.id,
        type=version.type,
        stem=stem,
        options=tuple((o["label"], o["text"]) for o in version.options or []),
        blanks=blank_count(version.type, version.stem, version.answer),
        locked=bool(version.locked),
    )


class FaceCache:
    """Frozen faces by version id; gunicorn's threads share it, and cachetools is not
    thread-safe, hence the lock."""

    def __init__(self) -> None:
        self._faces: LRUCache[int, Face] = LRUCache(maxsize=CACHE_SIZE)
        self._lock = threading.Lock()

    def get(self, version_ids: set[int]) -> dict[int, Face]:
        with self._lock:
            return {vid: self._faces[vid] for vid in version_ids if vid in self._faces}

    def keep(self, faces: Iterable[Face]) -> None:
        with self._lock:
            for face in faces:
                if face.locked:
                    self._faces[face.version_id] = face


def _cache() -> FaceCache:
    return current_app.extensions.setdefault("exam_faces", FaceCache())


def faces(version_ids: Iterable[int]) -> dict[int, Face]:
    """Faces by version id: frozen ones from the cache, the rest in one query."""
    wanted = set(version_ids)
    cache = _cache()
    found = cache.get(wanted)
    missing = wanted - found.keys()
    if missing:
        columns = QuestionVersion.__table__.c
        rows = db.session.execute(
            select(columns.id, columns.type, columns.stem, columns.case_material,
                   columns.options, columns.answer, columns.locked)
            .where(columns.id.in_(missing))
        )
        loaded = [face_of(row) for row in rows]
        cache.keep(loaded)
        found.update((face.version_id, face) for face in loaded)
    return found
