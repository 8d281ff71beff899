"""Mistakes in scenario files: every message names the file, the line and the key."""

from __future__ import annotations

import pytest

from millnet.case import load_example
from millnet.errors import MillnetError
from millnet.scenario import Problem, ScenarioError, apply, load_scenario, parse_scenario


@pytest.fixture(scope="module")
def mini():
    return load_example("mini")


def problems(text: str, file: str = "s.yaml") -> tuple[Problem, ...]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file)
    return info.value.problems


def apply_problems(case, text: str, file: str = "s.yaml") -> tuple[Problem, ...]:
    with pytest.raises(ScenarioError) as info:
        apply(case, parse_scenario(text, file))
    return info.value.problems


def test_yaml_syntax_error_names_line_and_column():
    (problem,) = problems("name: x\noverrides:\n  - kind: scale_demand\n    factor: 0.5: 2\n")
    assert (problem.file, problem.line, problem.column) == ("s.yaml", 4, 16)
    assert problem.message == "not valid YAML: mapping values are not allowed here"
    assert str(problem).startswith("s.yaml, line 4, column 16: not valid YAML")


def test_tab_indentation_is_a_syntax_error_with_its_line():
    (problem,) = problems("name: x\n\toverrides: []\n")
    assert (problem.line, problem.column) == (2, 1)
    assert "'\\t'" in problem.message


def test_unknown_kind_suggests_the_closest():
    (problem,) = problems("name: x\noverrides:\n  - kind: scale_demnd\n    factor: 0.5\n")
    assert (problem.line, problem.key) == (3, "overrides[0].kind")
    assert problem.message.startswith("unknown kind 'scale_demnd'; expected one of scale_demand")
    assert problem.message.endswith("did you mean 'scale_demand' or 'set_demand'?")


def test_missing_kind():
    (problem,) = problems("name: x\noverrides:\n  - factor: 0.5\n")
    assert (problem.line, problem.key, problem.message) == (
        3,
        "overrides[0]",
        "missing key 'kind'",
    )


def test_unknown_key_lists_the_kinds_keys_and_suggests():
    found = problems("name: x\noverrides:\n  - kind: capacity\n    factor: 2\n    plant: [a]\n")
    (problem,) = found
    assert (problem.line, problem.key) == (5, "overrides[0].plant")
    assert problem.message == (
        "unknown key 'plant'; expected one of kind, plants, resources, factor, capacity; "
        "did you mean 'plants'?"
    )


def test_unknown_top_level_key():
    (problem,) = problems("name: x\ndescripton: what if\n")
    assert (problem.line, problem.key) == (2, "descripton")
    assert problem.message.endswith("did you mean 'description'?")


def test_wrong_type_names_what_was_found():
    (problem,) = problems("name: x\noverrides:\n  - kind: scale_demand\n    factor: half\n")
    assert (problem.line, problem.key) == (4, "overrides[0].factor")
    assert problem.message.startswith("found 'half': input should be a valid number")


def test_out_of_range_value():
    (problem,) = problems("name: x\noverrides:\n  - {kind: scale_demand, factor: -0.5}\n")
    assert problem.key == "overrides[0].factor"
    assert problem.message == "found -0.5: input should be greater than or equal to 0"


def test_unknown_segment_in_a_list_points_at_the_item():
    text = (
        "name: x\noverrides:\n  - kind: scale_demand\n    segments:\n"
        "      - medical\n      - aero\n    factor: 1\n"
    )
    (problem,) = problems(text)
    assert (problem.line, problem.key) == (6, "overrides[0].segments[1]")
    assert problem.message.startswith("found 'aero'; expected one of aerospace, appliance")
    assert problem.message.endswith("did you mean 'aerospace'?")


def test_missing_required_key_points_at_the_override():
    (problem,) = problems("name: x\noverrides:\n  - kind: scale_demand\n    segments: [medical]\n")
    assert (problem.line, problem.key, problem.message) == (
        3,
        "overrides[0]",
        "missing key 'factor'",
    )


def test_several_problems_are_all_reported():
    text = "name: x\noverrides:\n  - {kind: options, objective: profit, max_idle: -1}\n"
    found = problems(text)
    assert [(p.key, p.message) for p in found] == [
        ("overrides[0].objective", "found 'profit'; expected one of cost, margin"),
        ("overrides[0].max_idle", "found -1: input should be greater than or equal to 0"),
    ]


def test_exactly_one_way_to_change():
    (problem,) = problems("name: x\noverrides:\n  - {kind: capacity, factor: 1, capacity: 2}\n")
    assert problem.message == "give exactly one of factor, capacity (found factor, capacity)"
    (problem,) = problems("name: x\noverrides:\n  - {kind: metal_prices, metal: tin}\n")
    assert problem.message == ("give exactly one of prices, multipliers, factor (found none)")


def test_cost_filter_that_does_not_apply_to_the_column():
    text = (
        "name: x\noverrides:\n  - kind: costs\n    column: fixed_cost_running\n"
        "    modes: [truck]\n    factor: 2\n"
    )
    (problem,) = problems(text)
    assert (problem.line, problem.key) == (5, "overrides[0].modes")
    assert problem.message == (
        "modes does not apply to fixed_cost_running (table plants); filters of plants: plants"
    )


def test_only_cost_columns_can_be_changed():
    (problem,) = problems("name: x\noverrides:\n  - {kind: costs, column: capacity, factor: 2}\n")
    assert problem.key == "overrides[0].column"
    assert problem.message.startswith("found 'capacity'; expected one of fixed_cost_running")


def test_duplicate_key_names_both_lines():
    (problem,) = problems("name: x\ndescription: a\nname: y\n")
    assert (problem.line, problem.key) == (3, "name")
    assert problem.message == "key 'name' appears twice (first on line 1)"


@pytest.mark.parametrize(
    ("text", "found"),
    [("", "an empty file"), ("- a\n", "a list"), ("just text\n", "a str")],
)
def test_a_document_that_is_not_a_mapping(text, found):
    (problem,) = problems(text)
    assert problem.line == 1
    assert problem.message == f"expected a mapping with name and overrides; found {found}"


def test_yes_and_no_stay_text():
    # YAML 1.1 would read the country code NO as false
    scenario = parse_scenario(
        "name: x\noverrides:\n  - {kind: scale_demand, countries: [NO], factor: 1}\n"
    )
    assert scenario.overrides[0].countries == ("NO",)


def test_error_is_a_millnet_error_whose_message_lists_every_problem():
    with pytest.raises(MillnetError) as info:
        parse_scenario(
            "name: x\noverrides:\n  - {kind: options, objective: profit, max_idle: -1}\n", "o.yaml"
        )
    lines = str(info.value).splitlines()
    assert lines[0] == "2 problems:"
    assert lines[1].startswith("  o.yaml, line 3, key overrides[0].objective:")
    assert lines[2].startswith("  o.yaml, line 3, key overrides[0].max_idle:")
    assert info.value.exit_code == 1


# -- mistakes only the case can reveal ---------------------------------------------------------


def test_unknown_plant_suggests_the_close_ids(mini):
    text = (
        "name: x\noverrides:\n  - kind: force_state\n    plants: [littleton, camden-ny]\n"
        "    state: running\n"
    )
    (problem,) = apply_problems(mini, text)
    assert (problem.file, problem.line, problem.key) == ("s.yaml", 4, "overrides[0].plants[0]")
    assert problem.message == "unknown plant 'littleton' in case mini; did you mean 'littleton-nh'?"


def test_unknown_customer_suggests_the_close_ids(mini):
    text = "name: x\noverrides:\n  - kind: drop_customers\n    customers:\n      - acme-cabel\n"
    (problem,) = apply_problems(mini, text)
    assert (problem.line, problem.key) == (5, "overrides[0].customers[0]")
    assert (
        problem.message == "unknown customer 'acme-cabel' in case mini; did you mean 'acme-cable'?"
    )


def test_unknown_id_with_nothing_close_lists_the_ids(mini):
    text = "name: x\noverrides:\n  - {kind: scale_demand, countries: [NO], factor: 2}\n"
    (problem,) = apply_problems(mini, text)
    assert problem.message == "unknown customer country 'NO' in case mini; expected one of FR, US"


def test_filter_that_matches_no_rows_is_an_error(mini):
    text = "name: x\noverrides:\n  - {kind: scale_demand, segments: [medical], factor: 2}\n"
    (problem,) = apply_problems(mini, text)
    assert (problem.line, problem.key) == (3, "overrides[0]")
    assert problem.message == (
        "matches no demand rows of case mini (segments medical; periods 2009Q1–2009Q2)"
    )


def test_unknown_period_in_a_mapping(mini):
    text = "name: x\noverrides:\n  - kind: demand_from_period\n    mapping:\n      2009Q2: 2008Q2\n"
    (problem,) = apply_problems(mini, text)
    assert (problem.line, problem.key) == (5, "overrides[0].mapping.2009Q2")
    assert problem.message.startswith("unknown period '2008Q2' in case mini")


def test_season_without_a_source(mini):
    text = (
        "name: x\noverrides:\n"
        "  - {kind: demand_from_period, targets: [2009Q2], sources: [2009Q1]}\n"
    )
    (problem,) = apply_problems(mini, text)
    assert problem.key == "overrides[0].targets[0]"
    assert problem.message == (
        "target 2009Q2 needs exactly one source period starting on the same month and day "
        "(04-01); found none"
    )


def test_forcing_a_history_period_is_an_error(mini):
    text = (
        "name: x\noverrides:\n  - {kind: options, plan_from: 2009Q2}\n"
        "  - {kind: force_state, plants: [camden-ny], state: idle, periods: [2009Q1]}\n"
    )
    (problem,) = apply_problems(mini, text)
    assert (problem.line, problem.key) == (4, "overrides[1].periods")
    assert problem.message.startswith("period 2009Q1 is history (planning starts at 2009Q2)")


def test_unknown_plan_from(mini):
    (problem,) = apply_problems(
        mini, "name: x\noverrides:\n  - {kind: options, plan_from: 2009Q5}\n"
    )
    assert problem.key == "overrides[0].plan_from"
    assert problem.message.startswith("unknown period '2009Q5' in case mini; did you mean")


def test_a_metal_price_can_be_changed_not_added(mini):
    text = "name: x\noverrides:\n  - {kind: metal_prices, metal: nickel, prices: {2009Q1: 5}}\n"
    (problem,) = apply_problems(mini, text)
    assert problem.key == "overrides[0].prices.2009Q1"
    assert problem.message == (
        "metal_prices has no nickel price for 2009Q1; a price can be changed, not added"
    )


def test_range_backwards(mini):
    text = (
        "name: x\noverrides:\n"
        "  - {kind: scale_demand, from_period: 2009Q2, to_period: 2009Q1, factor: 2}\n"
    )
    (problem,) = apply_problems(mini, text)
    assert problem.key == "overrides[0].to_period"


def test_largest_more_than_there_are(mini):
    (problem,) = apply_problems(
        mini, "name: x\noverrides:\n  - {kind: drop_customers, largest: 9}\n"
    )
    assert problem.key == "overrides[0].largest"
    assert problem.message == "only 4 customer(s) have demand in periods 2009Q1–2009Q2"


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nowhere.yaml")
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: d\u00e9j\u00e0\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match="not UTF-8 text"):
        load_scenario(path)
