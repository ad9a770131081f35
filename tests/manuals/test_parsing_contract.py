"""The `manual import --dry-run --json` object, exactly as outside tools read it."""

from __future__ import annotations

import json

from training.manuals.parsing import parse_manual

TEXT = (
    "客户服务管理制度\n第一章 总则\n第一条 为了规范服务：\n1. 礼貌；\n2. 耐心。\n"
    "第三条 本制度自发布之日起施行。\n"
)


def check_part(part: dict) -> None:
    assert set(part) == {"label", "title", "text", "parts"}
    assert isinstance(part["label"], str)
    assert part["title"] is None or isinstance(part["title"], str)
    assert isinstance(part["text"], str)
    assert isinstance(part["parts"], list)
    for child in part["parts"]:
        check_part(child)


def test_json_keys_and_types() -> None:
    payload = json.loads(json.dumps(parse_manual(TEXT.encode(), "制度.txt").to_json()))
    assert set(payload) == {"documents", "problems"}
    for document in payload["documents"]:
        assert set(document) == {"title", "parts"}
        assert isinstance(document["title"], str)
        for part in document["parts"]:
            check_part(part)
    for problem in payload["problems"]:
        assert set(problem) == {"line", "severity", "message"}
        assert isinstance(problem["line"], int)
        assert problem["severity"] in ("error", "warning")
        assert isinstance(problem["message"], str)


def test_json_values() -> None:
    assert parse_manual(TEXT.encode(), "制度.txt").to_json() == {
        "documents": [
            {
                "title": "客户服务管理制度",
                "parts": [
                    {
                        "label": "第一章",
                        "title": "总则",
                        "text": "",
                        "parts": [
                            {
                                "label": "第一条",
                                "title": None,
                                "text": "为了规范服务：",
                                "parts": [
                                    {"label": "1.", "title": None, "text": "礼貌；", "parts": []},
                                    {"label": "2.", "title": None, "text": "耐心。", "parts": []},
                                ],
                            },
                            {
                                "label": "第三条",
                                "title": None,
                                "text": "本制度自发布之日起施行。",
                                "parts": [],
                            },
                        ],
                    }
                ],
            }
        ],
        "problems": [
            {
                "line": 6,
                "severity": "warning",
                "message": "编号跳跃: 第一条之后是第三条",
            }
        ],
    }


def test_ok_flag_for_the_exit_status() -> None:
    assert parse_manual(TEXT.encode(), "制度.txt").ok
    assert not parse_manual(b"", "empty.txt").ok
