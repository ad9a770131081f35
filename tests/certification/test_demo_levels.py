"""The bundled demo levels read, and every name in them is something the demo loads."""

from __future__ import annotations

from pathlib import Path

from training.certification.rule_yaml import Level, parse, resolve_levels
from training.certification.rules import referenced
from training.courses import demo as courses
from training.demo.people import TEAMS, team_employees
from training.exams import demo as exams
from training.roleplay import demo as roleplay

LEVELS = Path(__file__).resolve().parents[2] / "training" / "data" / "certification" / "levels.yaml"


def demo_names() -> dict[str, list[str]]:
    """What the demo loads, by kind, in the order ids are handed out below."""
    departments = {"/".join(team.split("/")[:depth]) for team in TEAMS
                   for depth in range(1, team.count("/") + 2)}
    return {
        "exam": [exams.MOCK_EXAM, exams.FORMAL_EXAM, courses.ONBOARDING_QUIZ,
                 courses.COMPLAINT_QUIZ],
        "course": [courses.ONBOARDING, courses.COMPLAINTS, courses.TEAM_LEAD],
        "manual": [courses.MAIN_REGULATION],  # the required one the manuals demo marks
        "scenario": list(roleplay.ASSIGNED),  # slugs the demo assigns, so employees can play them
        "department": sorted(departments),
    }


def demo_levels() -> list[Level]:
    specs = parse(LEVELS.read_text(encoding="utf-8"))
    names = demo_names()
    codes = [spec.code for spec in specs]

    def resolver(kind: str, by: str, value: str | int) -> int | None:
        known = codes if kind == "level" else names[kind]
        return known.index(value) + 1 if by != "id" and value in known else None

    return resolve_levels(specs, resolver)


def test_demo_levels_name_only_what_the_demo_loads():
    levels = demo_levels()
    assert [level.name for level in levels] == ["初级客服专员", "中级客服专员", "组长晋级"]


def test_demo_levels_use_every_requirement_kind_and_expire():
    levels = demo_levels()
    kinds = {type(requirement).__name__ for level in levels for requirement in referenced(level.rule)}
    assert kinds == {"ExamPassed", "CourseCompleted", "ScenarioPassed", "ManualConfirmed",
                     "MinimumTenure", "LevelActive"}
    assert all(level.validity_months for level in levels)  # so the demo can show expiry


def test_demo_positions_are_held_by_demo_employees():
    held = {person.position for person in team_employees()}
    assert {position for level in demo_levels() for position in level.positions} <= held
