"""OR-Library capacitated facility location instances as cases: parsing, mapping, solving."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest

from millnet.case import read_case, write_case
from millnet.cli.app import main
from millnet.errors import CaseError, MillnetError, UsageError
from millnet.importers import read_orlib_cap
from millnet.importers.orlib import dominant_price, parse_orlib_cap, resolution
from millnet.model.options import ModelOptions
from millnet.plan import solve_case
from millnet.solve.options import SolveOptions
from millnet.validate import validate

# Two facilities (capacity 10 each; fixed costs 100 and 50) and three customers (demands 4, 4,
# 8; total 16, so both facilities must open). Costs are for serving ALL of a customer's demand:
# per unit, facility 1 costs 1 for everyone; facility 2 costs 5, 5 and 2.
#   multi-source: f1 serves c1, c2 and 2 units of c3 (4 + 4 + 2 = 10 at 1 each), f2 the other
#     6 units of c3 at 2 each: 150 + 10 + 12 = 172.
#   single-source: f1 {c1, c2} and f2 {c3} (4 + 4 + 16) = 174; f1 {c3} and f2 {c1, c2} costs
#     8 + 20 + 20 = 48 and f1 cannot take c3 with anyone else (12 > 10).
TINY = """\
2 3
10 100
10 50.
4
 4 20
4 4 20
8
8 16
"""
TINY_OPTIMUM = 172.0
TINY_SINGLE_SOURCE_OPTIMUM = 174.0

#: The same facilities with capacities left to the user (as capa, capb, capc do).
TINY_WORD = TINY.replace("10 100\n10 50.", "capacity 100\ncapacity 50.")

BENCHMARKS = Path(
    os.environ.get(
        "MILLNET_BENCHMARKS", Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks"
    )
)
ORLIB = BENCHMARKS / "orlib-cap"
needs_orlib = pytest.mark.skipif(
    not (ORLIB / "optima.tsv").exists(),
    reason=f"OR-Library instances not found at {ORLIB} (set MILLNET_BENCHMARKS to the folder "
    "holding orlib-cap/)",
)


def write(tmp_path: Path, text: str, name: str = "tiny.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def solve(case, single_source: bool = False):
    options = ModelOptions(single_source="horizon" if single_source else "off")
    return solve_case(case, options, SolveOptions(threads=1), reference=False)


# --- mapping ----------------------------------------------------------------------------------


def test_tiny_instance_becomes_a_valid_one_period_case(tmp_path):
    case = read_orlib_cap(write(tmp_path, TINY))
    assert case.name == "tiny"
    assert case.meta is not None
    assert case.meta.mass_unit == "t"
    report = validate(case)
    assert report.ok, [str(i) for i in report.issues]
    assert report.warnings == ()

    assert case["periods"].select("id", "order").rows() == [("P1", 1)]
    plants = case["plants"]
    assert plants["id"].to_list() == ["f1", "f2"]
    assert plants["initial_state"].to_list() == ["idle", "idle"]
    assert plants["fixed_cost_running"].to_list() == [100.0, 50.0]
    for column in ("fixed_cost_idle", "cost_to_idle", "cost_to_restart", "cost_to_close"):
        assert plants[column].to_list() == [0.0, 0.0]
    for column in ("restart_lead_periods", "min_idle_periods"):
        assert plants[column].to_list() == [0, 0]
    assert plants.select("lat", "lon").rows() == [(0.0, 0.0), (0.0, 0.0)]

    resources = case["resources"]
    assert resources.select("plant_id", "capacity", "variable_cost").rows() == [
        ("f1", 10.0, 0.0),
        ("f2", 10.0, 0.0),
    ]
    assert set(resources["capacity_unit"]) == {"t"}
    assert resources["resource"].n_unique() == 1
    routing = case["routings"].row(0, named=True)
    assert (routing["usage"], routing["yield"]) == (1.0, 1.0)
    assert case["products"].height == 1
    assert case["products"]["gauge"].to_list() == [None]

    assert case["customers"]["id"].to_list() == ["c1", "c2", "c3"]
    demand = case["demand"]
    assert demand.select("customer_id", "quantity").rows() == [
        ("c1", 4.0),
        ("c2", 4.0),
        ("c3", 8.0),
    ]
    assert set(demand["price_basis"]) == {"fixed"}
    # B = Σ fixed + Σ_j max_i cost = 150 + 20 + 20 + 16 = 206, whole-number data: price 1000.
    assert set(demand["price"]) == {1000.0}

    lanes = {
        (r["plant_id"], r["customer_id"]): r["cost_per_unit"]
        for r in case["lanes"].iter_rows(named=True)
    }
    assert lanes == {
        ("f1", "c1"): 1.0,
        ("f1", "c2"): 1.0,
        ("f1", "c3"): 1.0,
        ("f2", "c1"): 5.0,
        ("f2", "c2"): 5.0,
        ("f2", "c3"): 2.0,
    }
    assert case["freight"].height == 0


def test_line_breaks_carry_no_meaning(tmp_path):
    one_line = read_orlib_cap(write(tmp_path, " ".join(TINY.split()), "a.txt"))
    many_lines = read_orlib_cap(write(tmp_path, "\n".join(TINY.split()) + "\n\n", "b.txt"))
    for table in ("plants", "resources", "demand", "lanes"):
        assert one_line[table].equals(many_lines[table])


def test_byte_order_mark_and_crlf_are_fine(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TINY.replace("\n", "\r\n").encode())
    assert read_orlib_cap(path)["plants"]["fixed_cost_running"].to_list() == [100.0, 50.0]


def test_resolution_is_the_data_decimal_step():
    assert resolution(np.array([4.0, 8.0, 10.0])) == 1.0
    assert resolution(np.array([4.5, 8.25])) == pytest.approx(0.01)


def test_price_is_first_power_of_ten_above_the_bound(tmp_path):
    instance = parse_orlib_cap(write(tmp_path, TINY))
    assert dominant_price(instance) == 1000.0
    decimals = parse_orlib_cap(write(tmp_path, TINY.replace("\n4\n", "\n4.5\n"), "d.txt"))
    # Demand 4.5 makes the resolution 0.1: B = 206 → B / q = 2060 → 10000.
    assert dominant_price(decimals) == 10000.0


def test_roundtrip_through_csv_keeps_the_case(tmp_path):
    case = read_orlib_cap(write(tmp_path, TINY))
    out = write_case(case, tmp_path / "case", "csv")
    again = read_case(out)
    assert again.fingerprint == case.fingerprint
    assert validate(again).ok


def test_customer_without_demand_stays_valid_and_changes_nothing(tmp_path):
    text = TINY.replace("2 3\n", "2 4\n") + "0\n7 9\n"
    case = read_orlib_cap(write(tmp_path, text))
    assert validate(case).ok
    assert case["demand"].filter(case["demand"]["customer_id"] == "c4")["quantity"][0] == 0.0
    assert set(case["lanes"].filter(case["lanes"]["customer_id"] == "c4")["cost_per_unit"]) == {0.0}
    results = solve(case)
    assert results.outcome.status.value == "optimal"
    assert results.outcome.objective == pytest.approx(TINY_OPTIMUM, rel=1e-9)


# --- solving ----------------------------------------------------------------------------------


def test_tiny_instance_solves_to_the_hand_computed_optimum(tmp_path):
    results = solve(read_orlib_cap(write(tmp_path, TINY)))
    outcome = results.outcome
    assert outcome.status.value == "optimal"
    assert outcome.objective == pytest.approx(TINY_OPTIMUM, rel=1e-9)
    assert outcome.bound == pytest.approx(TINY_OPTIMUM, rel=1e-6)
    assert results["unmet"].height == 0 or results["unmet"]["unmet"].sum() == 0
    states = dict(results["plant_states"].select("plant", "state").iter_rows())
    assert states == {"f1": "running", "f2": "running"}
    flows = {
        (r["plant"], r["customer"]): r["quantity"]
        for r in results["flows"].iter_rows(named=True)
        if r["quantity"] > 1e-9
    }
    expected = {("f1", "c1"): 4, ("f1", "c2"): 4, ("f1", "c3"): 2, ("f2", "c3"): 6}
    assert flows == pytest.approx(expected)


def test_single_source_gives_the_hand_computed_optimum(tmp_path):
    results = solve(read_orlib_cap(write(tmp_path, TINY)), single_source=True)
    assert results.outcome.status.value == "optimal"
    assert results.outcome.objective == pytest.approx(TINY_SINGLE_SOURCE_OPTIMUM, rel=1e-9)
    served = {
        r["customer"]: r["plant"]
        for r in results["flows"].iter_rows(named=True)
        if r["quantity"] > 1e-9
    }
    assert served == {"c1": "f1", "c2": "f1", "c3": "f2"}


def test_cheap_facility_alone_when_it_can_serve_everyone(tmp_path):
    # Capacity 20 at f1: everything from f1 at 1 per unit, f2 stays idle: 100 + 16 = 116.
    case = read_orlib_cap(write(tmp_path, TINY.replace("10 100", "20 100")))
    results = solve(case)
    assert results.outcome.objective == pytest.approx(116.0, rel=1e-9)
    states = dict(results["plant_states"].select("plant", "state").iter_rows())
    assert states["f1"] == "running"
    assert states["f2"] != "running"


# --- the word "capacity" ----------------------------------------------------------------------


def test_capacity_word_without_capacity_is_a_clear_error(tmp_path):
    with pytest.raises(UsageError) as caught:
        read_orlib_cap(write(tmp_path, TINY_WORD, "capx.txt"))
    message = caught.value.message
    assert "capx.txt" in message
    assert "--capacity" in message


def test_capacity_word_takes_the_given_capacity(tmp_path):
    case = read_orlib_cap(write(tmp_path, TINY_WORD, "capx.txt"), capacity=10)
    assert case.name == "capx-10"
    assert case["resources"]["capacity"].to_list() == [10.0, 10.0]
    assert solve(case).outcome.objective == pytest.approx(TINY_OPTIMUM, rel=1e-9)


def test_capacity_for_a_file_that_states_capacities_is_refused(tmp_path):
    with pytest.raises(UsageError, match=r"tiny\.txt: the file states every facility's capacity"):
        read_orlib_cap(write(tmp_path, TINY), capacity=10)


# --- malformed files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty; expected the number of facilities"),
        ("2", "ends after token 1; expected the number of customers"),
        ("x 3", "token 1 (line 1): found 'x'; expected the number of facilities"),
        ("2 0", "token 2 (line 1): found '0'; expected the number of customers"),
        ("2.5 3", "found '2.5'; expected the number of facilities (a whole number ≥ 1)"),
        (
            TINY.replace("4 4 20", "4 4 abc"),
            "token 12 (line 6): found 'abc'; expected the cost of serving customer 2 from "
            "facility 2 (a number ≥ 0)",
        ),
        (TINY.replace("10 50.", "10 -50"), "expected the fixed cost of facility 2"),
        (TINY.replace("\n8\n", "\nnan\n"), "found 'nan'; expected the demand of customer 3"),
        (
            TINY.rsplit("16", 1)[0],
            "ends after 14 tokens; expected the cost of serving customer 3 from facility 2 next",
        ),
        (TINY + "99\n", "token 16 (line 9): found '99' after the last customer's costs"),
    ],
)
def test_malformed_file_is_a_clear_error_naming_the_file(tmp_path, text, expected):
    with pytest.raises(MillnetError) as caught:
        read_orlib_cap(write(tmp_path, text, "bad.txt"))
    assert not isinstance(caught.value, UsageError)
    assert caught.value.message.startswith("bad.txt: ")
    assert expected in caught.value.message


def test_binary_garbage_is_a_clear_error(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(TINY.encode().replace(b"50.", b"\x00\xff\xfe"))
    with pytest.raises(MillnetError, match=r"garbage\.txt: token 6 \(line 3\): found '\\x00"):
        read_orlib_cap(path)


def test_missing_file_and_folder_are_case_errors(tmp_path):
    with pytest.raises(CaseError, match="no such file"):
        read_orlib_cap(tmp_path / "nope.txt")
    with pytest.raises(CaseError, match="is a folder"):
        read_orlib_cap(tmp_path)


# --- the CLI ----------------------------------------------------------------------------------


def test_cli_import_writes_a_valid_case(capsys, tmp_path):
    out = tmp_path / "out" / "tiny"
    code, stdout, err = run(capsys, "import", "orlib-cap", str(write(tmp_path, TINY)), str(out))
    assert code == 0, err
    assert "2 plants, 3 customers" in stdout
    assert (out / "case.toml").exists()
    assert validate(read_case(out)).ok


def test_cli_import_json_and_formats(capsys, tmp_path):
    source = write(tmp_path, TINY)
    code, stdout, _ = run(
        capsys, "import", "orlib-cap", str(source), str(tmp_path / "p"), "--format", "parquet",
        "--json",
    )  # fmt: skip
    assert code == 0
    document = json.loads(stdout)
    assert document["plants"] == 2
    assert document["customers"] == 3
    assert document["format"] == "parquet"
    assert (tmp_path / "p" / "plants.parquet").exists()
    code, _, _ = run(
        capsys, "import", "orlib-cap", str(source), str(tmp_path / "t.xlsx"), "--format", "xlsx"
    )
    assert code == 0
    assert validate(read_case(tmp_path / "t.xlsx")).ok


def test_cli_import_capacity_option(capsys, tmp_path):
    source = write(tmp_path, TINY_WORD, "capx.txt")
    code, _, err = run(capsys, "import", "orlib-cap", str(source), str(tmp_path / "a"))
    assert code == 2
    assert "capx.txt" in err
    assert "--capacity" in err
    assert "Traceback" not in err
    code, _, err = run(
        capsys, "import", "orlib-cap", str(source), str(tmp_path / "b"), "--capacity", "10"
    )
    assert code == 0, err
    assert read_case(tmp_path / "b")["resources"]["capacity"].to_list() == [10.0, 10.0]


def test_cli_import_exit_codes(capsys, tmp_path):
    code, _, err = run(capsys, "import", "orlib-cap", str(tmp_path / "nope.txt"), str(tmp_path))
    assert code == 2
    assert "no such file" in err
    bad = write(tmp_path, "2 3 1 2", "bad.txt")
    code, stdout, err = run(capsys, "import", "orlib-cap", str(bad), str(tmp_path / "x"))
    assert code == 1
    assert stdout == ""
    assert "bad.txt: the file ends after 4 tokens" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x").exists()
    code, _, _ = run(capsys, "import", "orlib-cap")
    assert code == 2


def test_cli_import_help_has_an_example(capsys):
    code, stdout, _ = run(capsys, "import", "orlib-cap", "--help")
    assert code == 0
    assert "Example: millnet import orlib-cap" in " ".join(stdout.split())


def test_cli_solve_single_source_on_an_imported_case(capsys, tmp_path):
    out = tmp_path / "tiny"
    run(capsys, "import", "orlib-cap", str(write(tmp_path, TINY)), str(out))
    for flags, optimum in (([], TINY_OPTIMUM), (["--single-source"], TINY_SINGLE_SOURCE_OPTIMUM)):
        code, stdout, err = run(
            capsys, "solve", str(out), "--json", "--no-reference", "--threads", "1", *flags
        )
        assert code == 0, err
        document = json.loads(stdout)
        assert document["status"] == "optimal"
        assert document["objective"] == pytest.approx(optimum, rel=1e-9)


# --- the published instances ------------------------------------------------------------------


def published() -> dict[str, tuple[str, float]]:
    with (ORLIB / "optima.tsv").open(encoding="utf-8", newline="") as handle:
        return {
            r["instance"]: (r["file"], float(r["optimum"]))
            for r in csv.DictReader(handle, delimiter="\t")
        }


@needs_orlib
@pytest.mark.parametrize("instance", ["cap41", "cap71", "cap101", "cap131"])
def test_published_instance_solves_to_its_optimum(instance):
    file, optimum = published()[instance]
    case = read_orlib_cap(ORLIB / file)
    assert validate(case).ok
    outcome = solve(case).outcome
    assert outcome.status.value == "optimal"
    assert outcome.gap is not None
    assert outcome.gap <= 1e-4
    assert abs(outcome.objective - optimum) <= 1e-6 * optimum


@needs_orlib
def test_large_instance_parses_with_a_capacity():
    case = read_orlib_cap(ORLIB / "capa.txt", capacity=8000)
    assert case.name == "capa-8000"
    assert case["plants"].height == 100
    assert case["customers"].height == 1000
    assert case["lanes"].height == 100_000
    assert set(case["resources"]["capacity"]) == {8000.0}
    assert validate(case).ok
