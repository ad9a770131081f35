"""The bundled demo bank: the seed papers through the importer, keyed by the shipped key file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from question_bank.demo_bank import build_demo_bank
from training.bank.importing import build_preview, commit_import
from training.bank.models import Question
from training.bank.services import ensure_bank
from training.database import db
from training.demo.loader import DemoReport

DEMO_BANK = "客户服务管理题库"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load_demo_bank(report: DemoReport) -> None:
    """Import the seed questions once; a bank that already has questions is left alone."""
    bank = ensure_bank(DEMO_BANK)
    existing = db.session.scalar(select(func.count(Question.id)).where(Question.bank_id == bank.id))
    if existing:
        report.lines.append(f"题库「{DEMO_BANK}」已存在 {existing} 题，未重复导入")
        return
    result = build_demo_bank(DATA_DIR / "seeds", DATA_DIR / "keys")
    preview = build_preview(result, bank)
    questions = commit_import(bank, result, excluded=preview.suggested_exclusions, by_section=True)
    report.lines.append(f"题库「{DEMO_BANK}」导入 {len(questions)} 题")
