"""Problems a reviewer must see, with the line they are on."""

from __future__ import annotations

from training.manuals.parsing import parse_manual


def problems(text: str) -> list[tuple[int, str, str]]:
    result = parse_manual(text.encode("utf-8"), "制度.txt")
    return [(p.line, p.severity, p.message) for p in result.problems]


def test_numbering_jump_is_a_warning_naming_both_articles() -> None:
    assert problems("第一条 甲。\n第二条 乙。\n第三条 丙。\n第五条 戊。\n") == [
        (4, "warning", "编号跳跃: 第三条之后是第五条"),
    ]


def test_duplicate_article_is_an_error_and_the_file_is_not_ok() -> None:
    text = "第一条 甲。\n第二条 乙。\n第二条 又一个乙。\n"
    assert problems(text) == [
        (3, "error", "条款编号重复: 第二条已在第2行出现"),
    ]
    assert not parse_manual(text.encode(), "x.txt").ok


def test_numbering_going_backwards_and_chapter_jumps() -> None:
    assert problems("第一章 总则\n第一条 甲。\n第三章 附则\n第三条 丙。\n第二条 乙。\n") == [
        (3, "warning", "编号跳跃: 第一章之后是第三章"),
        (4, "warning", "编号跳跃: 第一条之后是第三条"),
        (5, "warning", "编号倒退: 第三条之后是第二条"),
    ]


def test_chapter_without_articles() -> None:
    assert problems("第一章 总则\n第一条 甲。\n第二章 罚则\n第三章 附则\n第二条 乙。\n") == [
        (3, "warning", "章内没有条款: 第二章"),
    ]


def test_article_before_any_chapter() -> None:
    assert problems("第一条 甲。\n第二章 服务\n第二条 乙。\n") == [
        (1, "warning", "条款出现在任何章之前: 第一条"),
        (2, "warning", "编号不从一开始: 首个是第二章"),
    ]


def test_articles_renumbered_in_each_chapter_are_not_problems() -> None:
    assert problems("第一章 总则\n第一条 甲。\n第二条 乙。\n第二章 附则\n第一条 丙。\n") == []


def test_empty_document_is_an_error() -> None:
    for data in (b"", b"  \n\n", "合集下载\n精品\n".encode()):
        result = parse_manual(data, "empty.txt")
        assert result.documents == []
        assert [(p.line, p.severity) for p in result.problems] == [(1, "error")]
        assert not result.ok


def test_text_without_structure_is_an_error() -> None:
    result = parse_manual("这是一段没有条款的说明文字。".encode(), "x.txt")
    assert result.documents == []
    assert [p.message for p in result.problems] == ["未找到章、条或编号结构"]


def test_unreadable_docx_is_an_error() -> None:
    result = parse_manual(b"PK\x03\x04not really a zip", "broken.docx")
    assert result.documents == [] and not result.ok
    assert "无法读取 .docx 文件" in result.problems[0].message


def test_ok_when_one_of_several_documents_has_no_error() -> None:
    text = (
        "甲公司客户管理制度\n第一条 甲。\n第二条 乙。\n第二条 重复。\n"
        "乙公司服务规范\n第一条 甲。\n第二条 乙。\n"
    )
    result = parse_manual(text.encode(), "x.txt")
    assert [d.title for d in result.documents] == ["甲公司客户管理制度", "乙公司服务规范"]
    assert [(p.document, p.severity) for p in result.problems] == [(0, "error")]
    assert result.ok


def test_a_second_article_one_starts_a_new_document() -> None:
    result = parse_manual("第一条 甲。\n第二条 乙。\n第一条 又一个甲。\n".encode(), "x.txt")
    assert [len(d.articles()) for d in result.documents] == [2]
    assert [(p.line, p.severity) for p in result.problems] == [(3, "warning")]
    assert "已跳过不像制度的内容" in result.problems[0].message
