"""Forms of the question bank: banks, the question editor, the import wizard, keying, bulk actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from question_bank.formats import FORMATS
from training.bank.labels import FORMAT_LABELS, STATUS_LABELS, TYPE_LABELS

UPLOAD_EXTENSIONS = ["txt", "docx", "gift", "xml", "xlsx", "csv", "aiken", "md"]


class BankForm(FlaskForm):
    name = StringField(_l("题库名称"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("说明"), validators=[Optional(), Length(max=2000)])


class ImportForm(FlaskForm):
    """Upload a file or paste a paper; one of the two is required."""

    file = FileField(
        _l("试卷文件"),
        validators=[FileAllowed(UPLOAD_EXTENSIONS, _l("不支持的文件类型"))],
        description=_l("支持 .txt（UTF-8/GBK）、.docx、GIFT、Aiken、Moodle XML、Excel/CSV 模板"),
    )
    text = TextAreaField(_l("或粘贴试卷文本"), validators=[Optional(), Length(max=5_000_000)])
    format = SelectField(_l("格式"), default="auto")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.format.choices = [SelectChoice("auto", _l("自动识别"))] + [
            SelectChoice(name, FORMAT_LABELS[name]) for name in FORMATS
        ]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.file.data and not (self.text.data or "").strip():
            self.text.errors.append(_l("请上传文件或粘贴试卷文本"))
            return False
        return True


class ImportCommitForm(FlaskForm):
    category = StringField(
        _l("导入到分类"),
        validators=[Optional(), Length(max=500)],
        description=_l("用 / 分隔层级；留空则放在题库根目录"),
    )
    by_section = BooleanField(_l("按试卷大题建立子分类（如 单项选择题）"), default=True)
    skip_unattached = BooleanField(_l("忽略不属于任何题目的问题行"))


class QuestionForm(FlaskForm):
    """The editor for every type; the options and answer are text the type registry parses."""

    type = SelectField(_l("题型"), choices=[SelectChoice(k, v) for k, v in TYPE_LABELS.items()])
    case_material = TextAreaField(_l("案例材料"), validators=[Optional(), Length(max=20_000)])
    stem = TextAreaField(
        _l("题干"), validators=[DataRequired(), Length(max=20_000)], render_kw={"rows": 4}
    )
    options = TextAreaField(
        _l("选项"),
        validators=[Optional(), Length(max=20_000)],
        render_kw={"rows": 6},
        description=_l("每行一个，例如 A. 选项内容"),
    )
    answer = TextAreaField(
        _l("答案"),
        validators=[Optional(), Length(max=20_000)],
        render_kw={"rows": 2},
        description=_l("单选 B；多选 ABD；判断 对/错；填空各空用；分隔，同义答案用 | 分隔；主观题写参考答案"),
    )
    explanation = TextAreaField(_l("解析"), validators=[Optional(), Length(max=20_000)])
    points = DecimalField(_l("分值"), default=1, places=1, validators=[NumberRange(min=0.5, max=100)])
    difficulty = IntegerField(_l("难度 (1–5)"), default=3, validators=[NumberRange(min=1, max=5)])
    category = StringField(_l("分类"), validators=[Optional(), Length(max=500)])
    knowledge_points = StringField(
        _l("知识点"), validators=[Optional(), Length(max=1000)], description=_l("用逗号分隔")
    )
    tags = StringField(_l("标签"), validators=[Optional(), Length(max=1000)], description=_l("用逗号分隔"))
    status = SelectField(
        _l("状态"),
        choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items() if k != "archived"],
    )


class KeyingForm(FlaskForm):
    """The question being keyed; the chosen labels arrive as the checkboxes named `choice`."""

    question_id = HiddenField(validators=[DataRequired()])


class BulkForm(FlaskForm):
    action = SelectField(
        _l("批量操作"),
        choices=[
            SelectChoice("move", _l("移动到分类")),
            SelectChoice("tag", _l("添加标签")),
            SelectChoice("ready", _l("设为可用")),
            SelectChoice("draft", _l("设为草稿")),
            SelectChoice("delete", _l("删除")),
        ],
    )
    value = StringField(_l("分类或标签"), validators=[Optional(), Length(max=500)])
