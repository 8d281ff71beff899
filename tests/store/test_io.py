"""Results folders: write, read back the same Results, and clear errors for folders that are not."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from results_equal import assert_same_results

from millnet.results.io import (
    META_FIELDS,
    NotResultsError,
    read_results,
    results_meta,
    write_results,
)
from millnet.results.results import Results
from millnet.solve.status import SolveOutcome, Status


def test_every_results_field_but_tables_is_in_the_meta_document():
    names = {f.name for f in dataclasses.fields(Results)} - {"tables"}
    assert names == set(META_FIELDS)


def test_folder_round_trip_gives_the_same_results(tmp_path, mini_results):
    folder = write_results(mini_results, tmp_path / "out")
    back = read_results(folder)
    assert_same_results(mini_results, back)
    assert back.outcome.status is Status.OPTIMAL
    assert back.outcome.objective == mini_results.outcome.objective
    assert back.outcome.values.size == mini_results.outcome.values.size > 0
    assert back["plant_states"].height == 8  # 4 plants x 2 quarters


def test_meta_json_holds_what_is_not_a_table(tmp_path, mini_results):
    write_results(mini_results, tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert meta["format"] == "millnet-results"
    assert meta["case_name"] == "mini"
    assert meta["case_fingerprint"] == mini_results.case_fingerprint
    assert meta["currency"] == "USD"
    assert meta["mass_unit"] == "lb"
    assert meta["millnet_version"]
    assert meta["outcome"]["status"] == "optimal"
    assert meta["outcome"]["termination"] == "Optimal"
    assert meta["outcome"]["objective"] == mini_results.outcome.objective
    assert meta["reference_objective"] == mini_results.reference_objective
    assert meta["options"]["objective"] == "cost"
    assert meta["options"]["force_states"] == []
    assert set(meta["timings"]) >= {"validate_s", "build_s", "solve_s", "total_s"}
    assert meta["tables"] == list(mini_results.tables)
    for name in mini_results.tables:
        assert (tmp_path / f"{name}.parquet").is_file()


def test_options_come_back_with_their_types(tmp_path, mini_results):
    forced = (("camden-ny", "2009Q1", "running"), ("mons-be", "2009Q2", "idle"))
    results = dataclasses.replace(
        mini_results, options={**mini_results.options, "force_states": forced, "gap": 0.01}
    )
    back = read_results(write_results(results, tmp_path))
    assert back.options["force_states"] == forced
    assert back.options["gap"] == 0.01


def test_results_without_a_plan_round_trip(tmp_path, mini_results):
    outcome = SolveOutcome(
        status=Status.INFEASIBLE,
        termination="Infeasible",
        objective=None,
        bound=None,
        gap=None,
        solver="highs",
        solve_s=0.01,
        log="Running HiGHS\nModel status: Infeasible\n",
    )
    results = dataclasses.replace(
        mini_results,
        outcome=outcome,
        tables={},
        reference_objective=None,
        explanation=("demand of acme in 2009Q1 exceeds every plant's capacity",),
        scenario="no-capacity",
    )
    back = read_results(write_results(results, tmp_path))
    assert_same_results(results, back)
    assert back.tables == {}
    assert back.outcome.log == "Running HiGHS\nModel status: Infeasible\n"
    assert back.scenario == "no-capacity"


def test_rewriting_a_folder_drops_the_old_solution_and_log(tmp_path, mini_results):
    with_log = dataclasses.replace(
        mini_results, outcome=dataclasses.replace(mini_results.outcome, log="first log")
    )
    write_results(with_log, tmp_path)
    assert (tmp_path / "solver.log").read_text() == "first log"
    plain = dataclasses.replace(
        mini_results,
        outcome=dataclasses.replace(mini_results.outcome, values=np.empty(0), log=""),
    )
    back = read_results(write_results(plain, tmp_path))
    assert not (tmp_path / "solver.log").exists()
    assert back.outcome.log == ""
    assert back.outcome.values.size == 0


def test_results_write_is_the_same_folder_format(tmp_path, mini_results):
    mini_results.write(tmp_path / "w")
    assert_same_results(mini_results, read_results(tmp_path / "w"))


def test_missing_path(tmp_path):
    with pytest.raises(NotResultsError) as info:
        read_results(tmp_path / "nowhere")
    assert str(info.value) == f"{tmp_path / 'nowhere'}: no such results folder"
    assert info.value.exit_code == 2


def test_a_file_is_not_a_results_folder(tmp_path):
    path = tmp_path / "flows.parquet"
    path.write_bytes(b"PAR1")
    expected = r"not a results folder \(a file, expected a folder\)"
    with pytest.raises(NotResultsError, match=expected):
        read_results(path)


def test_folder_without_meta_json_names_what_is_missing(tmp_path, mini_results):
    # what `solve --out` wrote before meta.json existed: tables only
    for name, frame in mini_results.tables.items():
        frame.write_parquet(tmp_path / f"{name}.parquet")
    with pytest.raises(NotResultsError) as info:
        read_results(tmp_path)
    assert str(info.value).startswith(f"{tmp_path}: not a results folder: meta.json is missing")


def test_a_table_file_listed_but_missing(tmp_path, mini_results):
    write_results(mini_results, tmp_path)
    (tmp_path / "flows.parquet").unlink()
    (tmp_path / "moves.parquet").unlink()
    with pytest.raises(NotResultsError) as info:
        read_results(tmp_path)
    assert str(info.value) == (
        f"{tmp_path}: meta.json lists tables whose files are missing: flows.parquet, moves.parquet"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "meta.json: not valid JSON"),
        ("[1, 2]", "meta.json: expected a JSON object"),
        ('{"tables": []}', "not a millnet results document"),
        ('{"format": "millnet-results", "tables": {}}', "key 'tables' is missing or not a list"),
        (
            '{"format": "millnet-results", "format_version": 9, "tables": []}',
            "this millnet reads up to format 1",
        ),
        ('{"format": "millnet-results", "tables": []}', "damaged results document"),
    ],
)
def test_bad_meta_json(tmp_path, text, message):
    (tmp_path / "meta.json").write_text(text)
    with pytest.raises(NotResultsError, match=message.replace("(", r"\(")):
        read_results(tmp_path)


def test_damaged_table_file_is_named(tmp_path, mini_results):
    write_results(mini_results, tmp_path)
    (tmp_path / "costs.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(NotResultsError, match=r"costs\.parquet: not a readable Parquet file"):
        read_results(tmp_path)


def test_cannot_write_over_a_file(tmp_path, mini_results):
    target = tmp_path / "taken"
    target.write_text("x")
    with pytest.raises(NotResultsError, match="exists and is not a folder"):
        write_results(mini_results, target)


def test_meta_is_plain_json(mini_results):
    # the store keeps the same document; it must survive any JSON encoder
    meta = results_meta(mini_results)
    assert json.loads(json.dumps(meta, allow_nan=False)) == meta


def test_written_folder_reads_without_the_solution_file(tmp_path, mini_results):
    write_results(mini_results, tmp_path)
    Path(tmp_path / "_solution.parquet").unlink()
    back = read_results(tmp_path)
    assert back.outcome.values.size == 0
    assert back["flows"].equals(mini_results["flows"])
