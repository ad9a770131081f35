"""`servicecoach bench dataset`: a reproducible two-year history for the report benchmarks.

The reports must answer in seconds over millions of answers, so the benchmark needs millions of
answers that look like the app's own: a department tree (a company, four centers, their teams),
employees with positions and hire dates, banks of single, multiple, true/false, fill-blank and
short-answer questions, fixed and rule papers, formal and mock exams assigned to departments
and positions, graded attempts with every question's answer row, and some course completions.

Every row is what the app would have written: an attempt's score is the sum of its answers'
points and its maximum the sum of its questions' points, `passed` follows the pass mark on the
rounded percentage, unanswered questions have the row grading gives them, choice responses are
stored in the bank's own labels with the shown order in `attempt_question.option_order`, and
short answers carry a grader. The answers come from `training.benchdata.examinee`.

Speed: ids are handed out here (no RETURNING round trips) and rows go in as executemany batches
of plain Core INSERTs, in one transaction. Everything is drawn from one `random.Random(seed)`,
with dates counted back from `until`: the same seed and day give the same data. A data set
lives under its own company (压测集团-<seed>) and usernames (ds<seed>-00001…, a grader
ds<seed>-grader and an HR officer ds<seed>-hr, all with PASSWORD), so data sets of different
seeds can share a database; the same seed twice is refused.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Table, bindparam, func, select, text, update

from training.article_links.models import QuestionArticleLink
from training.bank.models import Question, QuestionBank, QuestionVersion
from training.benchdata.examinee import Item, Response, respond
from training.courses.models import (
    Course,
    CourseAssignment,
    CourseCompletion,
    Lesson,
    LessonProgress,
)
from training.database import db
from training.errors import DomainError
from training.exams.models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Exam,
    ExamAssignment,
    percent_of,
)
from training.manuals.models import ManualPart
from training.manuals.parsing.numerals import to_chinese
from training.manuals.services import import_manuals
from training.manuals.uploads import read_regulations
from training.papers.models import Paper, PaperItem, PaperSection
from training.passwords import hash_password
from training.people.models import Department, User, UserRole

CENTERS = ("热线服务中心", "在线客服中心", "投诉处理中心", "VIP服务中心")
POSITIONS = (("坐席", 70), ("高级坐席", 15), ("组长", 8), ("质检员", 7))
TOPICS = ("服务礼仪", "投诉处理", "业务规范", "信息安全")
TYPES = (("single", 50), ("multiple", 20), ("true_false", 18), ("fill_blank", 6),
         ("short_answer", 6))
TYPE_POINTS = {"single": 1.0, "multiple": 2.0, "true_false": 1.0, "fill_blank": 2.0,
               "short_answer": 5.0}
SECTION_TITLES = {"single": "一、单项选择题", "multiple": "二、多项选择题", "true_false": "三、判断题",
                  "fill_blank": "四、填空题", "short_answer": "五、简答题"}
RULE_SECTIONS = (("single", 15, 2.0), ("multiple", 5, 2.0), ("true_false", 5, 1.0),
                 ("short_answer", 1, 10.0))
ARTICLES_PER_TOPIC = 10
HISTORY_DAYS = 730
EXAM_DAYS = 14
BATCH = 20_000  # answers per flush
PASSWORD = "bench-dataset-1"  # every data-set account's; they exist to be reported on


def hr_username(seed: int) -> str:
    """The data set's HR officer, who signs in (password PASSWORD) to read its reports."""
    return f"ds{seed}-hr"


@dataclass(frozen=True)
class DatasetSize:
    employees: int
    exams: int
    answers: int
    seed: int = 1
    until: date = field(default_factory=date.today)


@dataclass(frozen=True)
class DatasetReport:
    exam_ids: list[int]
    employees: int
    answers: int


@dataclass(frozen=True)
class Person:
    id: int
    department_index: int  # into Dataset.departments
    position: str
    ability: float


@dataclass
class PlannedExam:
    """An exam's settings and draw, before its attempts are simulated."""

    id: int
    kind: str
    bank: int
    opens_at: datetime
    pass_mark: float
    partial: bool
    shuffle: bool
    grading_method: str
    attempts_allowed: int | None
    fixed: list[tuple[Item, str]] | None  # (item, section title); None: drawn per attempt
    audience: list[Person]
    answers_wanted: int = 0

    @property
    def per_attempt(self) -> int:
        if self.fixed is not None:
            return len(self.fixed)
        return sum(count for _type, count, _points in RULE_SECTIONS)

    @property
    def capacity(self) -> int:
        """The most answers its audience can give: everyone, on every attempt allowed (3 if open)."""
        return len(self.audience) * (self.attempts_allowed or 3) * self.per_attempt


class Rows:
    """Rows waiting to be inserted, written table by table in foreign-key order."""

    def __init__(self, tables: Iterable[Table]) -> None:
        self.pending: dict[Table, list[dict[str, Any]]] = {table: [] for table in tables}
        self.next_id: dict[Table, int] = {}
        self.written = 0

    def new_id(self, table: Table) -> int:
        if table not in self.next_id:
            self.next_id[table] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        self.next_id[table] += 1
        return self.next_id[table] - 1

    def add(self, table: Table, **row: Any) -> int:
        """Queue a row under a new id; returns the id."""
        row["id"] = self.new_id(table)
        self.pending[table].append(row)
        return row["id"]

    def flush(self) -> None:
        connection = db.session.connection()
        for table, rows in self.pending.items():
            if rows:
                connection.execute(table.insert(), rows)
                self.written += len(rows)
                rows.clear()

    def restart_sequences(self) -> None:
        """PostgreSQL's serial sequences move past the ids handed out here."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for table in self.next_id:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'),"
                f" (SELECT max(id) FROM \"{table.name}\"))"))


def _tables(*models: Any) -> list[Table]:
    return [model.__table__ for model in models]


TABLES = _tables(Department, User, UserRole, QuestionBank, Question, QuestionVersion,
                 QuestionArticleLink, Paper, PaperSection, PaperItem, Exam, ExamAssignment, Attempt,
                 AttemptQuestion, Answer, Course, Lesson, CourseAssignment, LessonProgress,
                 CourseCompletion)
(DEPARTMENT, USER, ROLE, BANK, QUESTION, VERSION, LINK, PAPER, SECTION, PAPER_ITEM, EXAM,
 ASSIGNMENT, ATTEMPT, ATTEMPT_QUESTION, ANSWER, COURSE, LESSON, COURSE_ASSIGNMENT, PROGRESS,
 COMPLETION) = TABLES


def generate(size: DatasetSize) -> DatasetReport:
    """Write the data set; the caller commits."""
    if min(size.employees, size.exams, size.answers) < 1:
        raise DomainError(_("人数、考试数和答题数都至少为 1。"))
    root = f"压测集团-{size.seed}"
    if db.session.scalar(select(Department.id).filter_by(path=root)) is not None:
        raise DomainError(_("种子 %(seed)s 的数据集已存在。", seed=size.seed))
    return Dataset(size, root).write()


class Dataset:
    """One data set being written: its random stream, its rows and what they refer to."""

    def __init__(self, size: DatasetSize, root: str) -> None:
        self.size, self.root = size, root
        self.rng = random.Random(size.seed)
        self.rows = Rows(TABLES)
        self.end = datetime.combine(size.until, time())
        self.start = self.end - timedelta(days=HISTORY_DAYS)
        self.departments: list[tuple[int, str]] = []  # (id, path); teams are the leaves
        self.people: list[Person] = []
        self.banks: list[list[Item]] = []
        self.bank_ids: list[int] = []
        self.by_type: list[dict[str, list[Item]]] = []  # per bank, what rule sections draw from
        self.grader = 0
        self.answers = 0

    def write(self) -> DatasetReport:
        self._departments()
        self._people()
        self._banks()
        exams = self._exams()
        self._share_answers(exams)
        for exam in exams:
            self._attempts(exam)
        self._courses()
        self.rows.flush()
        self.rows.restart_sequences()
        return DatasetReport([exam.id for exam in exams], len(self.people), self.answers)

    # People ---------------------------------------------------------------------------------

    def _department(self, name: str, parent: int | None, path: str) -> int:
        department_id = self.rows.add(DEPARTMENT, name=name, parent_id=parent, path=path,
                                      created_at=self.start)
        self.departments.append((department_id, path))
        return department_id

    def _departments(self) -> None:
        """The company, its four centers and ~60 people per team under them."""
        company = self._department(self.root, None, self.root)
        centers = [self._department(name, company, f"{self.root}/{name}") for name in CENTERS]
        teams = max(len(CENTERS), min(80, self.size.employees // 60))
        for number in range(teams):
            center = number % len(CENTERS)
            name = f"{CENTERS[center][:2]}{number // len(CENTERS) + 1}组"
            self._department(name, centers[center], f"{self.root}/{CENTERS[center]}/{name}")

    def _people(self) -> None:
        names, weights = zip(*POSITIONS, strict=True)
        password = hash_password(PASSWORD)
        teams = range(1 + len(CENTERS), len(self.departments))
        for number in range(1, self.size.employees + 1):
            team = self.rng.choice(teams)
            position = self.rng.choices(names, weights)[0]
            hired = self.size.until - timedelta(days=self.rng.randint(30, 8 * 365))
            user = self._user(f"ds{self.size.seed}-{number:05d}", f"压测员工{number}", team,
                              password, hire_date=hired, position=position)
            self.rows.add(ROLE, user_id=user, role="employee")
            ability = self.rng.gauss(0.3 if position != "坐席" else 0.0, 1.0)
            self.people.append(Person(user, team, position, ability))
        self.grader = self._user(f"ds{self.size.seed}-grader", "压测阅卷人", 0, password)
        self.rows.add(ROLE, user_id=self.grader, role="trainer")
        officer = self._user(hr_username(self.size.seed), "压测人事", 0, password)
        self.rows.add(ROLE, user_id=officer, role="hr")
        self.rows.flush()

    def _user(self, username: str, name: str, department: int, password: str,
              **details: Any) -> int:
        return self.rows.add(
            USER, username=username, employee_no=username.upper(), display_name=name,
            department_id=self.departments[department][0], password_hash=password, active=True,
            must_change_password=False, session_version=1, created_at=self.start,
            **{"hire_date": None, "position": None, **details})

    def in_subtree(self, person: Person, department: int) -> bool:
        path = self.departments[department][1]
        own = self.departments[person.department_index][1]
        return own == path or own.startswith(path + "/")

    # Banks ----------------------------------------------------------------------------------

    def _banks(self) -> None:
        """Four banks of ~15 questions per exam in all; a few items bad on purpose."""
        per_bank = max(80, math.ceil(self.size.exams * 15 / len(TOPICS)))
        names, weights = zip(*TYPES, strict=True)
        for topic in TOPICS:
            bank = self.rows.add(BANK, name=f"压测{topic}题库-{self.size.seed}", description="",
                                 created_at=self.start)
            types = [names[n % len(names)] for n in range(len(names))]  # each type at least once
            types += self.rng.choices(names, weights, k=per_bank - len(types))
            items = [self._question(bank, topic, n, kind) for n, kind in enumerate(types, 1)]
            self.banks.append(items)
            self.bank_ids.append(bank)
            self.by_type.append({kind: [item for item in items if item.type == kind]
                                 for kind, _weight in TYPES})
        self.rows.flush()
        self._articles()
        current = update(QUESTION).where(QUESTION.c.id == bindparam("qid")).values(
            current_version_id=bindparam("vid"))  # once both rows exist
        db.session.connection().execute(current, [
            {"qid": item.question_id, "vid": item.version_id}
            for bank in self.banks for item in bank])

    def _articles(self) -> None:
        """A regulation with a chapter of articles per bank's topic (imported as HR would), and
        each question linked to an article of its topic: the weak-articles reports' material."""
        lines = [f"压测服务规范-{self.size.seed}", ""]
        for chapter, topic in enumerate(TOPICS, 1):
            lines += [f"第{to_chinese(chapter)}章 {topic}", ""]
            for number in range(1, ARTICLES_PER_TOPIC + 1):
                article = (chapter - 1) * ARTICLES_PER_TOPIC + number
                lines += [f"第{to_chinese(article)}条 坐席在{topic}中应当遵守的第{number}项要求。", ""]
        parsed = read_regulations("\n".join(lines).encode(), "bench-dataset.txt")
        [imported] = import_manuals(parsed, "bench-dataset.txt")
        anchors = list(db.session.scalars(
            select(ManualPart.anchor).where(ManualPart.edition_id == imported.edition.id,
                                            ManualPart.is_article.is_(True))
            .order_by(ManualPart.ordinal)))
        for topic, items in enumerate(self.banks):
            chapter = anchors[topic * ARTICLES_PER_TOPIC:(topic + 1) * ARTICLES_PER_TOPIC]
            for item in items:
                self.rows.add(LINK, question_id=item.question_id,
                              manual_id=imported.edition.manual_id, anchor=self.rng.choice(chapter),
                              needs_review=False, changed_in_version=None, created_at=self.start,
                              created_by_id=None)

    def _question(self, bank: int, topic: str, number: int, kind: str) -> Item:
        rng = self.rng
        stem = f"【{topic}】第{number}题：客户第{number % 37 + 1}次来电反映问题时，坐席应当如何处理？"
        labels, key, blanks = KEYS.get(kind, _text_key)(rng)
        stem += blanks
        bad = rng.random()
        slope = -0.8 if bad < 0.03 else rng.uniform(0.5, 2.0)
        difficulty = -8.0 if bad > 0.95 else rng.gauss(-0.5, 1.0)
        wrong = len(labels) - (len(key) if labels else 0)
        distractors = tuple(0.0 if n == 0 and rng.random() < 0.2 else rng.uniform(0.2, 1.0)
                            for n in range(wrong))
        if wrong and not any(distractors):
            distractors = (1.0, *distractors[1:])
        question_id = self.rows.add(
            QUESTION, bank_id=bank, status="ready", type=kind, difficulty=3, needs_key=False,
            search_text=stem, current_version_id=None, created_at=self.start,
            updated_at=self.start)
        points = TYPE_POINTS[kind]
        version_id = self.rows.add(
            VERSION, question_id=question_id, number=1, type=kind, stem=stem,
            options=[{"label": label, "text": f"做法{label}：{stem[:6]}"} for label in labels],
            answer=key, explanation=None, points=points, difficulty=3,
            scoring_points=[{"phrase": "倾听", "points": 2.0}, {"phrase": "回访", "points": 3.0}]
            if kind not in KEYS else [],  # graded by hand: scoring points
            locked=True, created_at=self.start)
        return Item(question_id, version_id, kind, labels, key, points, slope, difficulty,
                    distractors)

    # Exams ----------------------------------------------------------------------------------

    def _exams(self) -> list[PlannedExam]:
        """Exams spread over two years, oldest first; four in five on a fixed paper."""
        offsets = sorted(self.rng.uniform(0, HISTORY_DAYS - EXAM_DAYS)
                         for _ in range(self.size.exams))
        return [self._exam(number, self.start + timedelta(days=offset))
                for number, offset in enumerate(offsets, 1)]

    def _exam(self, number: int, opens_at: datetime) -> PlannedExam:
        rng = self.rng
        bank = rng.randrange(len(self.banks))
        formal = rng.random() < 0.55
        kind = "formal" if formal else "mock"
        fixed = None
        if rng.random() < 0.8:
            chosen = rng.sample(self.banks[bank], rng.randint(20, 40))
            order = list(SECTION_TITLES)
            chosen.sort(key=lambda item: order.index(item.type))
            fixed = [(item, SECTION_TITLES[item.type]) for item in chosen]
        paper = self._paper(number, bank, fixed)
        method = rng.choice(("highest", "highest", "last") if formal else
                            ("highest", "average", "last"))
        planned = PlannedExam(
            id=0, kind=kind, bank=bank, opens_at=opens_at, pass_mark=rng.choice((60.0, 60.0, 80.0)),
            partial=rng.random() < 0.5, shuffle=rng.random() < 0.3, grading_method=method,
            attempts_allowed=2 if formal else None, fixed=fixed, audience=[])
        planned.id = self.rows.add(
            EXAM, paper_id=paper, title=f"{TOPICS[bank]}{'考核' if formal else '模拟练习'}（第{number}期）",
            description="", kind=kind, opens_at=opens_at,
            closes_at=opens_at + timedelta(days=EXAM_DAYS), time_limit_minutes=60,
            attempts_allowed=planned.attempts_allowed, grading_method=method,
            pass_mark=planned.pass_mark,
            multiple_rule="partial" if planned.partial else "all_or_nothing",
            shuffle_questions=False, shuffle_options=planned.shuffle, navigation="free",
            review_when="after_close", review_score=True, review_answers=False,
            review_explanations=False, access_password_hash=None, allowed_networks="",
            created_by_id=self.grader, created_at=opens_at - timedelta(days=7),
            updated_at=opens_at - timedelta(days=7))
        self._assign(planned)
        return planned

    def _paper(self, number: int, bank: int, fixed: list[tuple[Item, str]] | None) -> int:
        created = self.start
        paper = self.rows.add(PAPER, title=f"压测试卷{number}", description="",
                              kind="rules" if fixed is None else "fixed",
                              bank_id=self.bank_ids[bank],
                              created_by_id=self.grader, created_at=created, updated_at=created)
        if fixed is None:
            for ordinal, (kind, count, points) in enumerate(RULE_SECTIONS, 1):
                self.rows.add(SECTION, paper_id=paper, ordinal=ordinal,
                              title=SECTION_TITLES[kind], type=kind, count=count,
                              points_each=points, categories=[], tags=[], knowledge_points=[],
                              difficulty_min=1, difficulty_max=5)
            return paper
        sections: dict[str, int] = {}
        for ordinal, (item, title) in enumerate(fixed, 1):
            if title not in sections:
                sections[title] = self.rows.add(
                    SECTION, paper_id=paper, ordinal=len(sections) + 1, title=title, type=None,
                    count=0, points_each=1.0, categories=[], tags=[], knowledge_points=[],
                    difficulty_min=1, difficulty_max=5)
            self.rows.add(PAPER_ITEM, paper_section_id=sections[title], ordinal=ordinal,
                          question_id=item.question_id, points=item.points)
        return paper

    def _assign(self, exam: PlannedExam) -> None:
        """Formal exams go to a center (a third of them to its team leaders) or the company,
        mock exams to the company."""
        rng = self.rng
        department, position = 0, None
        if exam.kind == "formal" and rng.random() < 0.7:
            department = 1 + rng.randrange(len(CENTERS))
            if rng.random() < 0.3:
                position = "组长"
        self.rows.add(ASSIGNMENT, exam_id=exam.id, department_id=self.departments[department][0],
                      position=position, user_id=None,
                      due_at=exam.opens_at + timedelta(days=EXAM_DAYS))
        exam.audience = [person for person in self.people if self.in_subtree(person, department)
                         and position in (None, person.position)]

    def _share_answers(self, exams: list[PlannedExam]) -> None:
        """The answers wanted, shared out by random weights within what each audience can give."""
        weights = {exam.id: self.rng.uniform(0.5, 1.5) for exam in exams}
        left, open_exams = self.size.answers, [exam for exam in exams if exam.capacity]
        while left > 0 and open_exams:
            total = sum(weights[exam.id] for exam in open_exams)
            given = 0
            for exam in open_exams:
                share = min(exam.capacity - exam.answers_wanted,
                            max(1, round(left * weights[exam.id] / total)))
                exam.answers_wanted += share
                given += share
            left -= given
            open_exams = [exam for exam in open_exams if exam.answers_wanted < exam.capacity]
            if given == 0:
                break

    # Attempts -------------------------------------------------------------------------------

    def _attempts(self, exam: PlannedExam) -> None:
        """Who sat the exam how often: first attempts across the audience, then retakes (the
        failed ones in formal exams), until the exam's share of answers is reached."""
        rng = self.rng
        wanted = max(1, round(exam.answers_wanted / exam.per_attempt))
        firsts = rng.sample(exam.audience, min(wanted, len(exam.audience)))
        sittings: dict[int, list[tuple[Person, int]]] = {}
        for person in firsts:
            sittings[person.id] = [(person, 1)]
        extra = wanted - len(firsts)
        limit = exam.attempts_allowed or 3
        while extra > 0:
            candidates = [rows for rows in sittings.values() if len(rows) < limit]
            if not candidates:
                break
            for rows in rng.sample(candidates, min(extra, len(candidates))):
                rows.append((rows[0][0], len(rows) + 1))
                extra -= 1
        for rows in sittings.values():
            moments = sorted(rng.uniform(0, EXAM_DAYS * 86400 - 7200) for _ in rows)
            for (person, number), moment in zip(rows, moments, strict=True):
                self._attempt(exam, person, number, exam.opens_at + timedelta(seconds=moment))
            if len(self.rows.pending[ANSWER]) >= BATCH:
                self.rows.flush()

    def _draw(self, exam: PlannedExam) -> list[tuple[Item, str, float]]:
        if exam.fixed is not None:
            return [(item, title, item.points) for item, title in exam.fixed]
        drawn = []
        for kind, count, points in RULE_SECTIONS:
            of_kind = self.by_type[exam.bank][kind]
            drawn += [(item, SECTION_TITLES[kind], points)
                      for item in self.rng.sample(of_kind, min(count, len(of_kind)))]
        return drawn

    def _attempt(self, exam: PlannedExam, person: Person, number: int, started: datetime) -> None:
        rng = self.rng
        ability = person.ability + 0.3 * (number - 1) + rng.gauss(0, 0.3)
        submitted = started + timedelta(seconds=rng.randint(600, 3500))
        graded = submitted
        drawn = self._draw(exam)
        attempt = self.rows.new_id(ATTEMPT)
        answers: list[Response] = []
        for ordinal, (item, title, points) in enumerate(drawn, 1):
            order = list(item.labels)
            if exam.shuffle:
                rng.shuffle(order)
            question = self.rows.add(
                ATTEMPT_QUESTION, attempt_id=attempt, ordinal=ordinal,
                question_id=item.question_id, version_id=item.version_id, points=points,
                section_title=title, option_order=order)
            answer = respond(item, points, ability, exam.partial, rng)
            answers.append(answer)
            marked = submitted + timedelta(hours=rng.randint(2, 72)) if answer.graded_by_person \
                else submitted
            graded = max(graded, marked)
            self.rows.add(
                ANSWER, attempt_id=attempt, attempt_question_id=question,
                question_id=item.question_id, response=answer.response,
                seq=1 if answer.answered else 0,
                saved_at=started + (submitted - started) * ordinal / (len(drawn) + 1)
                if answer.answered else None,
                save_count=1 if answer.answered else 0, points_awarded=answer.points,
                correct=answer.correct, needs_manual=answer.graded_by_person,
                graded_by_id=self.grader if answer.graded_by_person else None, graded_at=marked,
                comment="")
        self.answers += len(drawn)
        score = round(sum(answer.points for answer in answers), 2)
        max_score = round(sum(points for _item, _title, points in drawn), 2)
        percent = percent_of(score, max_score)
        self.rows.pending[ATTEMPT].append({
            "id": attempt, "exam_id": exam.id, "user_id": person.id, "number": number,
            "seed": rng.randrange(2**31), "started_at": started,
            "deadline": started + timedelta(minutes=60), "submitted_at": submitted,
            "finish_reason": "submitted", "position": 0, "score": score,
            "max_score": max_score,
            "passed": percent is not None and percent >= exam.pass_mark,
            "graded_at": graded, "wrong_book_filled_at": None})

    # Courses --------------------------------------------------------------------------------

    def _courses(self) -> None:
        """Two company-wide courses of two lessons; most finished, some started, some not."""
        rng = self.rng
        for number, topic in enumerate(TOPICS[:2], 1):
            assigned = self.start + timedelta(days=90 * number)
            course = self.rows.add(COURSE, title=f"压测课程：{topic}-{self.size.seed}",
                                   description="", sequential=True, created_by_id=self.grader,
                                   created_at=assigned, updated_at=assigned)
            lessons = [self.rows.add(LESSON, course_id=course, ordinal=ordinal,
                                     title=f"{topic}要点（{ordinal}）", kind="page",
                                     completion="opened", min_seconds=0, manual_id=None,
                                     anchor=None, body=f"{topic}的要点。", exam_id=None,
                                     scenario_id=None)
                       for ordinal in (1, 2)]
            self.rows.add(COURSE_ASSIGNMENT, course_id=course,
                          department_id=self.departments[0][0], position=None, user_id=None,
                          due_at=assigned + timedelta(days=60), assigned_at=assigned,
                          assigned_by_id=self.grader)
            for person in self.people:
                progress = rng.random()
                if progress < 0.15:
                    continue
                opened = assigned + timedelta(days=rng.uniform(0, 120))
                done = progress >= 0.35
                for lesson in lessons if done else lessons[:1]:
                    self.rows.add(PROGRESS, lesson_id=lesson, user_id=person.id,
                                  opened_at=opened, completed_at=opened)
                if done:
                    self.rows.add(COMPLETION, course_id=course, user_id=person.id,
                                  completed_at=opened)


# A generated question's options, key and stem ending, per type (by its registered name in
# `question_bank.types`); a type not listed is answered in words and graded by hand.
KeyMaker = Callable[[random.Random], tuple[tuple[str, ...], Any, str]]


def _choice_key(picks: Callable[[random.Random], int]) -> KeyMaker:
    def make(rng: random.Random) -> tuple[tuple[str, ...], Any, str]:
        labels = tuple("ABCDE"[:rng.choice((4, 4, 5))])
        return labels, sorted(rng.sample(labels, picks(rng))), ""
    return make


def _text_key(_rng: random.Random) -> tuple[tuple[str, ...], Any, str]:
    return (), "倾听、核实、解决、回访", ""


KEYS: dict[str, KeyMaker] = {
    "single": _choice_key(lambda _rng: 1),
    "multiple": _choice_key(lambda rng: rng.choice((2, 3))),
    "true_false": lambda rng: ((), rng.random() < 0.5, ""),
    "fill_blank": lambda rng: ((), [[word] for word in rng.sample(
        ("首问负责", "限时办结", "一次告知", "主动回访"), 2)], "应当做到____和____。"),
}
