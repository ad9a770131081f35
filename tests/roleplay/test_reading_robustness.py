"""Whatever a file holds, reading it gives a scenario or problems: never a crash."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.roleplay import sample
from training.roleplay.graph import check
from training.roleplay.script import ScenarioDataError, from_dict, to_dict
from training.roleplay.yaml_format import ScenarioFileError, dump, load


def _paths(data: Any, path: tuple = ()) -> list[tuple]:
    """Every place in the data a value sits."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


PATHS = _paths(sample.data())[1:]
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.sampled_from(["c1", "e1", "d2", "listen", "mood", "end", "decision", "a|b c"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["listen", "x", "at_least", "below", "id"]), st.integers()),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), ODD_VALUES), min_size=1, max_size=4))
def test_changed_data_reads_or_names_its_problems(changes):
    data = sample.data()
    for path, value in changes:
        place = data
        try:
            for key in path[:-1]:
                place = place[key]
            place[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    try:
        scenario = from_dict(data)
    except ScenarioDataError as error:
        assert error.problems
        return
    check(scenario)
    assert load(dump(scenario)) == scenario == from_dict(to_dict(scenario))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab:-[]{}&*!|>#\n '\"1", max_size=60))
def test_any_text_reads_or_names_its_problems(text):
    try:
        load(text)
    except ScenarioFileError as error:
        assert error.problems
