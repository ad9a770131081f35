"""Small regulations for the library tests: two editions of one, and a broken file."""

from __future__ import annotations

from training.manuals.parsing import ManualParseResult, parse_manual

TITLE = "客户服务管理制度"

EDITION_1 = """客户服务管理制度
第一章 总则
第一条 为规范客户服务工作，提高客户满意度，特制定本制度。
第二条 本制度适用于客服中心全体员工。
第二章 投诉处理
第三条 客户投诉应在24小时内响应：
1. 记录投诉内容；
2. 核实问题原因。
第四条 投诉处理结果应及时回访客户。
"""

# Chapters are regrouped (第二条 and 第三条 move to new chapters), 第三条 changes, 第四条 is
# dropped and 第五条 is new. Anchors go by article number, so a1–a3 keep their permalinks.
EDITION_2 = """客户服务管理制度
第一章 总则
第一条 为规范客户服务工作，提高客户满意度，特制定本制度。
第二章 适用范围
第二条 本制度适用于客服中心全体员工。
第三章 投诉处理
第三条 客户投诉应在12小时内响应：
1. 记录投诉内容；
2. 核实问题原因；
3. 向客户致歉。
第五条 重大投诉应当日上报客服经理。
"""

OTHER = """客户信息保密规定
第一条 客服人员不得泄露客户信息。
第二条 客户信息只能用于处理客户的咨询和投诉。
"""

# 第二条 twice: an error, so nothing of this file may be imported.
BROKEN = """客户回访管理办法
第一条 回访应在服务结束后三日内完成。
第二条 回访内容包括满意度。
第二条 回访记录保存一年。
"""


def parsed(text: str, filename: str = "制度.txt") -> ManualParseResult:
    return parse_manual(text.encode("utf-8"), filename)
