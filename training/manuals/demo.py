"""The demo library: each regulation of the bundled seed files once, the main one required."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from training.database import db
from training.demo.loader import DemoReport
from training.manuals.models import Manual
from training.manuals.parsing import Document, extract_seed_library
from training.manuals.services import import_document

SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "seeds"
MAIN_REGULATION = "客户服务管理制度"


def main_regulation(library: list[Document]) -> Document | None:
    """客户服务管理制度 itself, else the first regulation whose title contains it."""
    exact = [document for document in library if document.title == MAIN_REGULATION]
    return next(iter(exact or [d for d in library if MAIN_REGULATION in d.title]), None)


def load_demo_manuals(report: DemoReport) -> None:
    """Import the seed regulations not yet in the library; the main one is required reading.

    Regulations already there are left alone, so what trainers changed through the web (a
    newer edition, another required-reading choice) survives another `demo load`.
    """
    library = extract_seed_library(SEED_DIR)
    known = set(db.session.scalars(select(Manual.title)))
    required = main_regulation(library)
    new = [document for document in library if document.title not in known]
    for document in new:
        imported = import_document(document, "demo-seeds")
        imported.edition.requires_confirmation = document is required
    db.session.flush()
    report.lines.append(f"manuals: {len(new)} imported, {len(library) - len(new)} already there")
