"""Small exam papers in the layouts trainers paste, shared by the bank's tests."""

PAPER = """一、单项选择题（每小题1分，共2分）
1. 客户投诉处理的第一步是（ ）。
A. 倾听客户
B. 立即赔偿
C. 转交上级
D. 结束通话
答案：A
2. 首问负责制要求第一位接待客户的员工（ ）。
A. 推给他人 B. 负责到底 C. 记录后挂断 D. 让客户再打
答案：B
二、判断题（每小题1分）
3. 客户情绪激动时应当与其争辩。
答案：×
"""

# Question 2's key names an option the question does not have: an error on its lines (5–7).
BROKEN_PAPER = """一、单项选择题
1. 服务礼仪中，接听电话应在铃响几声内（ ）。
A. 三声 B. 六声 C. 十声 D. 不限
答案：A
2. 客户满意度调查的目的是（ ）。
A. 应付检查 B. 改进服务 C. 增加工作量 D. 处罚员工
答案：F
3. 处理投诉时首先要做的是（ ）。
A. 安抚情绪 B. 追究责任 C. 解释规定 D. 转接电话
答案：A
"""

# Five single-choice drafts without a key, for keying mode.
UNKEYED_PAPER = "\n".join(
    f"{n}. 第{n}道待补答案的题目（ ）。\nA. 甲{n} B. 乙{n} C. 丙{n} D. 丁{n}" for n in range(1, 6)
) + "\n"
