"""The bundled library built from the scraped seed files.

The expected list was written by reading the five seed files, not by running the parser:
000 holds eight 第X条 regulations between courseware chapters, exam notes and site
watermarks; 001 (PPT courseware) and 002 (eight essays "客户服务流程建设 第N篇") hold none;
003 holds two outline (一、) and two chaptered regulations among essays, a "方案" and a
1./2./3. essay titled 优质客户关系管理制度; 004 holds two outline regulations among exam
papers, study notes and 工作总结. No regulation appears twice in the current seeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from training.manuals.parsing import Document, extract_seed_library

SEEDS = Path(__file__).resolve().parents[2] / "training" / "data" / "seeds"

# title → (number of 第X条, number of top-level outline sections 一、/（一）)
EXPECTED = {
    "客户服务用户管理制度": (9, 0),
    "公司内部客户服务管理制度": (7, 0),
    "关于客户管理的规定": (10, 0),
    "客户服务管理制度总则": (9, 0),
    "银行客户服务管理制度范本": (16, 0),
    "客户管理系统管理规定": (12, 0),
    "客户交付管理规定": (8, 0),
    "保监会客户服务管理规定": (8, 0),
    "优质客户服务管理制度": (0, 6),
    "优质客户管理制度": (20, 0),
    "客户管理制度": (5, 0),
    "优质大客户综合管理制度": (0, 3),
    "客户服务体系(管理制度)": (0, 7),
    "客户服务管理流程": (0, 6),
}


@pytest.fixture(scope="module")
def library() -> list[Document]:
    return extract_seed_library(SEEDS)


def test_each_seed_regulation_once_with_its_article_count(library: list[Document]) -> None:
    found = {
        d.title: (len(d.articles()), sum(p.kind in ("outline", "suboutline") for p in d.parts))
        for d in library
    }
    assert found == EXPECTED
    assert len(library) == len(EXPECTED)


def test_chapters_of_a_glued_regulation(library: list[Document]) -> None:
    bank = next(d for d in library if d.title == "银行客户服务管理制度范本")
    assert [(c.label, c.title, len(c.parts)) for c in bank.parts] == [
        ("第一章", "总则", 2),
        ("第二章", "客户服务管理的基本原则", 5),
        ("第三章", "客户服务流程", 4),
        ("第四章", "客户投诉处理", 4),
        ("第五章", "客户服务培训和考核", 1),
    ]
    first = bank.articles()[0]
    assert (first.title, first.text.splitlines()[1]) == (
        "目的和依据",
        "本制度根据《中华人民共和国银行法》、《中华人民共和国消费者权益保护法》等相关法律法规制定。",
    )


def test_regulations_end_before_the_courseware_that_follows(library: list[Document]) -> None:
    last_texts = {d.title: list(d.walk())[-1].text for d in library}
    assert last_texts["客户服务用户管理制度"] == "对投诉处理情况进行跟踪,确保整改效果。"
    assert last_texts["优质客户管理制度"].endswith("都能得到及时、专业的服务。")
    assert last_texts["客户服务管理流程"] == "客户提出意见时,要坦诚、热心地接受。"


def test_library_text_is_clean(library: list[Document]) -> None:
    text = "\n".join(p.text + (p.title or "") for d in library for p in d.walk())
    for noise in ("旳", "如有侵权", "精品", "下载文档", "合集下载", "(3篇)", "第1篇"):
        assert noise not in text


def test_outline_regulation_glued_to_its_title(library: list[Document]) -> None:
    policy = next(d for d in library if d.title == "优质客户服务管理制度")
    assert [(p.label, p.title) for p in policy.parts] == [
        ("一、", "制度目的"),
        ("二、", "范围"),
        ("三、", "管理责任"),
        ("四、", "客户服务原则"),
        ("五、", "客户服务流程"),
        ("六、", "客户投诉处理"),
    ]
    assert policy.parts[1].text == "本制度适用于公司所有客户服务工作。"
    assert [i.label for i in policy.parts[2].parts] == ["1.", "2.", "3."]


def test_duplicated_regulation_is_collapsed(tmp_path: Path) -> None:
    regulation = (
        "客户回访管理制度\n\n客户回访管理制度\n\n第一章总则第一条为做好回访工作,制定本制度。\n\n"
        "第二条本制度适用于客服部。\n\n第三条回访应当在三日内完成。\n"
    )
    (tmp_path / "a.txt").write_text(regulation, encoding="utf-8")
    (tmp_path / "b.txt").write_text("合集下载\n" + regulation.replace("的", "旳"), encoding="utf-8")
    other = regulation.replace("三日", "七日").replace(
        "客服部", "销售部和市场部以及全体外包坐席人员"
    )
    (tmp_path / "c.txt").write_text(other, encoding="gbk")
    library = extract_seed_library(tmp_path)
    assert [(d.title, len(d.articles())) for d in library] == [
        ("客户回访管理制度", 3),
        ("客户回访管理制度", 3),
    ]


def test_the_bundled_sub_bullets_are_split_into_lines(library: list[Document]) -> None:
    policy = next(d for d in library if d.title == "优质客户服务管理制度")
    process, complaints = policy.parts[4], policy.parts[5]
    for item in (*process.parts, *complaints.parts):
        lead, *bullets = item.text.split("\n")
        assert lead and " - " not in lead and "- " not in lead, item.text
        assert len(bullets) >= 2 and all(b.startswith("- ") for b in bullets), item.text
    assert process.parts[3].text.split("\n") == [
        "跟进服务",
        "- 在服务结束后,及时与客户进行回访,了解服务满意度;",
        "- 解决客户意见和投诉,确保客户问题得到妥善处理;",
        "- 定期对客户进行维护和跟进,建立长期的合作关系。",
    ]
    # nowhere else in the library is a dash taken for a bullet
    others = [p.text for d in library if d is not policy for p in d.walk() if "\n- " in p.text]
    assert others == []
