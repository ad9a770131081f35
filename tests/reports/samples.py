"""Report builders for the export and job tests, registered by name as real builders are.

`sample` has two tables holding every column kind (and a name typed as a formula) and a chart;
`sample-gated` reports half its progress, then waits until the test opens `GATE`, so a test
can watch a job half done without timing anything; `sample-broken` fails.
`sample_app` serves them from gunicorn and runs the worker, for the two-server test.
"""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest

from training.errors import DomainError
from training.reports.document import (
    BUILDERS,
    Chart,
    Column,
    Kind,
    Report,
    Table,
    register,
    report_progress,
)
from training.reports.filters import Filters
from training.reports.jobs import wait_for_threads

GATE = threading.Event()
GATE_WAIT_SECONDS = 30

CHART = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160" viewBox="0 0 400 160">'
    b'<rect x="20" y="40" width="60" height="100" fill="#0f766e"/>'
    b'<rect x="100" y="80" width="60" height="60" fill="#14b8a6"/>'
    b'<text x="200" y="30" font-size="16" font-family="Noto Sans CJK SC">\xe5\x88\x86\xe5\xb8\x83\xe5\x9b\xbe\xe7\xa4\xba</text>'
    b"</svg>"
)  # the text reads 分布图示

PEOPLE = Table(
    "考生成绩",
    (Column("姓名"), Column("部门"), Column("得分", Kind.NUMBER), Column("题数", Kind.INT),
     Column("得分率", Kind.PERCENT), Column("考试日期", Kind.DATE),
     Column("交卷时间", Kind.DATETIME)),
    [
        ["张三", "客服中心/一组", 87.5, 40, 87.5, date(2026, 11, 3), datetime(2026, 11, 3, 2, 30)],
        ['=HYPERLINK("http://evil.example")', "-二组", 59.25, 40, 59.25, date(2026, 11, 4),
         datetime(2026, 11, 4, 16, 5)],  # 16:05 UTC is 00:05 the next day in Shanghai
        ["李四", None, None, 0, None, None, None],
    ],
)
DEPARTMENTS = Table(
    "按部门",
    (Column("部门"), Column("参考人数", Kind.INT), Column("通过率", Kind.PERCENT)),
    [["一组", 2, 50.0], ["二组", 1, 100.0]],
)


def sample(filters: Filters) -> Report:
    return Report("sample", "示例考试报表", filters, (PEOPLE, DEPARTMENTS),
                  (Chart("得分分布", CHART),), ("仅统计已交卷的答卷。",))


def sample_gated(filters: Filters) -> Report:
    report_progress(1, 2)
    if not GATE.wait(GATE_WAIT_SECONDS):
        raise DomainError("测试没有放行")
    report_progress(2, 2)
    return Report("sample-gated", "慢速示例报表", filters, (DEPARTMENTS,))


def sample_broken(filters: Filters) -> Report:
    raise ZeroDivisionError("a builder's bug")


SAMPLES = {"sample": sample, "sample-gated": sample_gated, "sample-broken": sample_broken}


def register_samples() -> None:
    """Register the samples (once per process)."""
    for name, builder in SAMPLES.items():
        if name not in BUILDERS:
            register(name)(builder)


def unregister_samples() -> None:
    for name in SAMPLES:
        BUILDERS.pop(name, None)


@pytest.fixture
def sample_reports(app):
    """The samples registered for one test, the gate closed; both undone afterwards."""
    register_samples()
    GATE.clear()
    yield
    GATE.set()  # a job still waiting ends instead of outliving the test
    wait_for_threads(timeout=GATE_WAIT_SECONDS)
    unregister_samples()
