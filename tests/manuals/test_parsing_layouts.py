"""Layouts of regulations: chapters/articles (glued or not), outlines, Markdown, docx, GBK."""

from __future__ import annotations

import io
from pathlib import Path

import docx

from training.manuals.parsing import Part, parse_manual

FIXTURES = Path(__file__).parent / "fixtures"


def shape(parts: list[Part]) -> list[tuple]:
    """(label, title, text, children) tuples: the whole tree in one comparable value."""
    return [(p.label, p.title, p.text, shape(p.parts)) for p in parts]


def only_document(text: str, filename: str = "制度.txt"):
    result = parse_manual(text.encode("utf-8"), filename)
    assert len(result.documents) == 1, result.to_json()
    return result, result.documents[0]


def test_glued_chapter_title_and_article() -> None:
    _, document = only_document(
        "客户服务管理制度\n\n第一章总则第一条为规范客户服务，特制定本制度。\n"
        "第二条本制度适用于全体员工。\n第二章 服务规范第三条客服人员应当礼貌。\n"
    )
    assert document.title == "客户服务管理制度"
    assert shape(document.parts) == [
        (
            "第一章",
            "总则",
            "",
            [
                ("第一条", None, "为规范客户服务，特制定本制度。", []),
                ("第二条", None, "本制度适用于全体员工。", []),
            ],
        ),
        ("第二章", "服务规范", "", [("第三条", None, "客服人员应当礼貌。", [])]),
    ]


def test_several_articles_on_one_line_and_items_inside() -> None:
    _, document = only_document(
        "客户管理制度第一章总则第一条为规范客户管理,特制订本制度.第二条本制度适用于公司客户:"
        "(一)战略客户;(二)重点客户。第三条客户分级如下:1. 一级;2. 二级。"
    )
    chapter = document.parts[0]
    assert [a.label for a in chapter.parts] == ["第一条", "第二条", "第三条"]
    assert shape(chapter.parts[1].parts) == [
        ("（一）", None, "战略客户;", []),
        ("（二）", None, "重点客户。", []),
    ]
    assert shape(chapter.parts[2].parts) == [("1.", None, "一级;", []), ("2.", None, "二级。", [])]


def test_spaced_chapter_titles_sections_and_arabic_articles() -> None:
    _, document = only_document(
        "第一章 总 则\n第1条 为了规范。\n第二章 服务\n第一节 一般规定\n第2条 客服应当：\n"
        "一是态度热情；二是答复准确。\n第二节 特别规定\n第3条 投诉应当登记：\n①记录 ②回访\n"
    )
    chapter_one, chapter_two = document.parts
    assert (chapter_one.title, chapter_one.parts[0].label) == ("总则", "第1条")
    assert shape(chapter_two.parts) == [
        (
            "第一节",
            "一般规定",
            "",
            [
                (
                    "第2条",
                    None,
                    "客服应当：",
                    [("一是", None, "态度热情；", []), ("二是", None, "答复准确。", [])],
                ),
            ],
        ),
        (
            "第二节",
            "特别规定",
            "",
            [
                (
                    "第3条",
                    None,
                    "投诉应当登记：",
                    [("①", None, "记录", []), ("②", None, "回访", [])],
                ),
            ],
        ),
    ]


def test_chapter_number_and_title_on_separate_lines() -> None:
    _, document = only_document("第一章\n总则\n第一条\n为了规范服务，制定本制度。\n")
    assert shape(document.parts) == [
        ("第一章", "总则", "", [("第一条", None, "为了规范服务，制定本制度。", [])])
    ]


def test_article_titles_in_brackets_glued_or_spaced() -> None:
    _, document = only_document(
        "第一条【立法目的】为了保护客户权益，制定本办法。\n第二条适用范围本办法适用于全体员工。\n"
        "第三条 定义 根据本办法，客户是指购买产品的人。\n第四条 依照本办法第二条规定的范围执行。\n"
    )
    assert [(a.title, a.text) for a in document.articles()] == [
        ("立法目的", "为了保护客户权益，制定本办法。"),
        ("适用范围", "本办法适用于全体员工。"),
        ("定义", "根据本办法，客户是指购买产品的人。"),
        (None, "依照本办法第二条规定的范围执行。"),
    ]


def test_articles_without_chapters_are_top_level() -> None:
    result, document = only_document("第一条 本办法适用于公司。\n第二条 员工应当遵守。\n")
    assert [(p.kind, p.label) for p in document.parts] == [
        ("article", "第一条"),
        ("article", "第二条"),
    ]
    assert result.problems == [] and result.ok


def test_outline_document_without_chapters() -> None:
    _, document = only_document(
        "员工考勤管理规定\n一、制度目的\n为规范考勤管理，制定本规定。\n二、范围本规定适用于全体员工。\n"
        "三、考勤要求\n（一）上班时间\n1. 上午9点上班；\n2. 下午6点下班。\n"
        "（二）请假\n1、提前申请。\n"
    )
    assert document.title == "员工考勤管理规定"
    assert shape(document.parts) == [
        ("一、", "制度目的", "为规范考勤管理，制定本规定。", []),
        ("二、", "范围", "本规定适用于全体员工。", []),
        (
            "三、",
            "考勤要求",
            "",
            [
                (
                    "（一）",
                    "上班时间",
                    "",
                    [
                        ("1.", None, "上午9点上班；", []),
                        ("2.", None, "下午6点下班。", []),
                    ],
                ),
                ("（二）", "请假", "", [("1、", None, "提前申请。", [])]),
            ],
        ),
    ]


def test_markdown_headings_map_to_the_same_hierarchy() -> None:
    result = parse_manual((FIXTURES / "outline_policy.md").read_bytes(), "outline_policy.md")
    (document,) = result.documents
    assert document.title == "客户投诉处理流程"
    assert shape(document.parts) == [
        ("一、", "目的", "为及时处理客户投诉，提高客户满意度，制定本流程。", []),
        (
            "二、",
            "处理步骤",
            "",
            [
                (
                    "（一）",
                    "受理",
                    "",
                    [
                        ("1.", None, "记录客户信息；", []),
                        ("2.", None, "确认投诉内容。", []),
                    ],
                ),
                ("（二）", "回访", "处理完毕后三日内回访客户。", []),
            ],
        ),
    ]


def test_markdown_chapters_and_bold_articles() -> None:
    _, document = only_document(
        "# 客户服务管理制度\n\n## 第一章 总则\n\n**第一条** 为了规范客户服务。\n\n"
        "## 附则\n\n本制度自发布之日起施行。\n",
        "制度.md",
    )
    assert document.title == "客户服务管理制度"
    assert shape(document.parts) == [
        ("第一章", "总则", "", [("第一条", None, "为了规范客户服务。", [])]),
        ("", "附则", "本制度自发布之日起施行。", []),
    ]


def test_docx_paragraphs() -> None:
    word = docx.Document()
    for paragraph in (
        "客户回访管理办法",
        "第一章 总则",
        "第一条 为了做好回访，制定本办法。",
        "第二条 回访应当记录。",
    ):
        word.add_paragraph(paragraph)
    buffer = io.BytesIO()
    word.save(buffer)
    result = parse_manual(buffer.getvalue(), "回访.docx")
    (document,) = result.documents
    assert result.encoding == "docx"
    assert document.title == "客户回访管理办法"
    assert [(a.label, a.text, a.line) for a in document.articles()] == [
        ("第一条", "为了做好回访，制定本办法。", 3),
        ("第二条", "回访应当记录。", 4),
    ]


def test_gbk_text() -> None:
    text = "投诉处理规定\r\n第一条 客户投诉应当在一日内受理。\r\n第二条 处理结果应当告知客户。\r\n"
    result = parse_manual(text.encode("gbk"), "投诉.txt")
    assert result.encoding == "gb18030"
    assert [a.text for a in result.documents[0].articles()] == [
        "客户投诉应当在一日内受理。",
        "处理结果应当告知客户。",
    ]


def test_table_of_contents_is_dropped() -> None:
    _, document = only_document(
        "中华人民共和国示例法\n（2013年10月25日修正）\n目录\n第一章 总则\n第二章 附则\n"
        "第一章 总则\n第一条 为了示例，制定本法。\n第二章 附则\n第二条 本法自公布之日起施行。\n"
    )
    assert document.title == "中华人民共和国示例法"
    assert document.preamble == "（2013年10月25日修正）"
    assert [(c.label, [a.label for a in c.parts]) for c in document.parts] == [
        ("第一章", ["第一条"]),
        ("第二章", ["第二条"]),
    ]


def test_several_regulations_in_one_file() -> None:
    result = parse_manual(
        "甲公司客户管理制度\n第一章 总则\n第一条 为了规范。\n第二条 适用全体。\n"
        "本制度由客服部解释。\n"
        "乙公司投诉处理办法\n第一条 为了处理投诉。\n第二条 投诉应当登记。\n".encode(),
        "合集.txt",
    )
    assert [(d.title, len(d.articles()), d.line) for d in result.documents] == [
        ("甲公司客户管理制度", 2, 1),
        ("乙公司投诉处理办法", 2, 6),
    ]
    assert result.documents[0].articles()[-1].text == "适用全体。\n本制度由客服部解释。"


def test_scraped_collection_is_split_cleaned_and_courseware_skipped() -> None:
    data = (FIXTURES / "scraped_collection.txt").read_bytes()
    result = parse_manual(data, "scraped_collection.txt")
    assert [(d.title, [a.label for a in d.articles()]) for d in result.documents] == [
        ("客户服务用户管理制度", ["第一条", "第二条", "第三条", "第四条"]),
        ("保监会客户服务管理规定", ["第一条", "第二条", "第三条"]),
    ]
    first, second = result.documents
    assert shape(first.parts[0].parts[2].parts) == [
        ("1.", None, "以客户为中心;", []),
        ("2.", None, "诚信经营;", []),
        ("3.", None, "保密原则。", []),
    ]
    assert second.articles()[0].text.startswith("为加强客户服务管理")
    skipped = [p for p in result.problems if "已跳过" in p.message]
    assert [p.line for p in skipped] == [1, 17]
    assert all("下载文档" not in part.text for d in result.documents for part in d.walk())


def test_title_option_names_the_document() -> None:
    result = parse_manual("第一条 为了规范。\n".encode(), "upload.txt", title="客户服务守则")
    assert result.documents[0].title == "客户服务守则"
    assert result.documents[0].articles()[0].address == "客户服务守则 §第一条"
    untitled = parse_manual("第一条 为了规范。\n".encode(), "客服守则.txt")
    assert untitled.documents[0].title == "客服守则"


def test_addresses_and_permalink_keys() -> None:
    _, document = only_document(
        "客户服务管理制度\n第一章 总则\n第一条 为了规范。\n"
        "第二章 服务\n第二条 服务要求：\n1. 礼貌\n2. 耐心\n"
    )
    article = document.articles()[1]
    assert article.address == "客户服务管理制度 §第二章 第二条"
    assert article.key == "ch2-a2"
    assert article.parts[1].key == "ch2-a2-i2"
    assert document.find("ch2-a2") is article
