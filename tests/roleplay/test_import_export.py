"""`servicecoach scenario import/export` and the demo load of the bundled scenarios."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.roleplay.factories import sample_text
from tests.roleplay.sample import TEXT, data
from training.cli import main
from training.database import db
from training.demo.loader import load_demo
from training.people.services import find_user
from training.roleplay.demo import ASSIGNED, bundled_files
from training.roleplay.models import Scenario, ScenarioVersion
from training.roleplay.services import open_scenarios


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args), catch_exceptions=False)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def test_import_is_all_or_nothing_with_every_problem_at_its_line(app, tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(TEXT, encoding="utf-8")
    broken = data()
    broken["nodes"][1]["options"][0]["next"] = "nowhere"
    broken["weights"]["listen"] = 50  # the weights now sum to 135
    bad.write_text(sample_text(broken), encoding="utf-8")
    result = run(app, "scenario", "import", str(good), str(bad))
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith(f"{bad}:")]
    assert len(problems) == 2 and "nowhere" in result.output
    assert all(line.split(":")[1].isdigit() for line in problems)
    assert count(Scenario) == 0


def test_import_then_export_gives_the_file_back(app, tmp_path):
    source = tmp_path / "counter.yaml"
    source.write_text(TEXT, encoding="utf-8")
    result = run(app, "scenario", "import", str(source))
    assert result.exit_code == 0, result.output
    assert "counter-ebanking" in result.output and "(v1)" in result.output
    assert run(app, "scenario", "import", str(source)).exit_code == 0
    assert count(ScenarioVersion) == 1  # not played yet: replaced, not a new version
    single = run(app, "scenario", "export", "counter-ebanking")
    assert single.output == TEXT
    out = tmp_path / "out"
    assert run(app, "scenario", "export", "--out", str(out)).exit_code == 0
    assert (out / "counter-ebanking.yaml").read_text(encoding="utf-8") == TEXT
    assert run(app, "scenario", "export", "nope").exit_code == 1


def test_demo_load_installs_the_bundled_scenarios_once_and_assigns_two(app):
    load_demo("demo-password-1")
    load_demo("demo-password-1")
    assert count(Scenario) == len(bundled_files()) >= 8
    assert count(ScenarioVersion) == count(Scenario)
    employee = find_user("demo-employee")
    assert sorted(s.scenario.key for s in open_scenarios(employee)) == sorted(ASSIGNED)
    assert all(s.due_at is not None for s in open_scenarios(employee))
