"""Translatable names of question types, statuses and import formats, shared by forms,
filters and templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TYPE_LABELS = {
    "single": _l("单选题"),
    "multiple": _l("多选题"),
    "true_false": _l("判断题"),
    "fill_blank": _l("填空题"),
    "short_answer": _l("简答题"),
    "essay": _l("论述题"),
    "case": _l("案例分析题"),
}

STATUS_LABELS = {
    "draft": _l("草稿"),
    "ready": _l("可用"),
    "archived": _l("已删除"),
}

# question_bank.formats.FORMATS by the names users know (tests check every format has one)
FORMAT_LABELS = {
    "cn-text": _l("中文试卷文本（.txt）"),
    "docx": _l("Word 文档（.docx）"),
    "gift": _l("GIFT 文本（Moodle）"),
    "aiken": _l("Aiken 文本（Moodle）"),
    "moodle-xml": _l("Moodle XML"),
    "xlsx": _l("Excel 导入模板（.xlsx）"),
    "csv": _l("CSV 表格（.csv）"),
}
