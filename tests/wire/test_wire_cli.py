"""`millnet wire` through the real entry point: JSON output, human output, exit codes."""

from __future__ import annotations

import json

import pytest

from millnet.cli.app import main

REQUIRED_KEYS = {
    "diameter_in",
    "area_cmil",
    "copper_lb_per_kft",
    "silver_lb_per_kft",
    "nickel_lb_per_kft",
    "tin_lb_per_kft",
    "total_lb_per_kft",
    "resistance_ohm_per_kft_20c",
    "coating_thickness_uin",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(["wire", *argv])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)  # exactly one document: json.loads rejects anything around it


def test_silver_class_a_json(capsys):
    doc = run_json(capsys, "20 AWG 19/32", "--coating", "silver", "--class", "A")
    assert doc.keys() >= REQUIRED_KEYS
    assert doc["construction"] == "20 AWG 19/32"
    assert (doc["strands"], doc["strand_gauge"], doc["gauge"]) == (19, "32", "20")
    assert doc["lay_factor"] == 1.02
    assert doc["coating"] == "silver"
    assert doc["coating_class"] == "A"
    assert doc["coating_weight_pct"] == pytest.approx(1.25)
    assert round(doc["silver_ozt_per_kft"], 3) == 0.677
    assert round(doc["silver_lb_per_kft"], 3) == 0.046
    assert round(doc["coating_thickness_uin"]) == 21
    assert doc["area_cmil"] == pytest.approx(19 * 7.95**2)
    assert "metal_cost_per_kft" not in doc


def test_bare_12_awg_json(capsys):
    doc = run_json(capsys, "12 AWG")
    assert round(doc["copper_lb_per_kft"], 2) == 19.77
    assert round(doc["resistance_ohm_per_kft_20c"], 2) == 1.59
    assert doc["diameter_in"] == 0.08081
    assert doc["total_lb_per_kft"] == doc["copper_lb_per_kft"]
    assert doc["coating"] == "bare"
    assert doc["coating_thickness_uin"] == 0.0


def test_other_coatings_json(capsys):
    nickel = run_json(capsys, "20 AWG 19/32", "--coating", "nickel", "--class", "27")
    assert round(nickel["nickel_lb_per_kft"], 3) == 1.001
    assert round(nickel["coating_thickness_uin"]) == 578
    tin = run_json(capsys, "22 AWG 19/34", "--coating", "tin", "--weight-pct", "2")
    assert round(tin["copper_lb_per_kft"], 3) == 2.275
    assert round(tin["tin_lb_per_kft"], 3) == 0.046
    silver = run_json(
        capsys, "20 AWG 19/32", "--coating", "silver", "--thickness-uin", "40", "--outside"
    )
    assert round(silver["copper_lb_per_kft"], 3) == 3.708
    assert round(silver["silver_ozt_per_kft"], 2) == 1.29
    assert silver["coating_convention"] == "outside"
    unrounded = run_json(
        capsys, "20 AWG 19/32", "--coating", "silver", "--class", "A", "--unrounded-diameter"
    )
    assert round(unrounded["copper_lb_per_kft"], 3) == 3.669


def test_temperature(capsys):
    doc = run_json(capsys, "12", "--temperature", "75")
    expected = doc["resistance_ohm_per_kft_20c"] * (1 + 0.00393 * 55)
    assert doc["resistance_ohm_per_kft_at_temperature"] == pytest.approx(expected)
    assert doc["temperature_c"] == 75.0


def test_cost_json(capsys):
    doc = run_json(
        capsys,
        "20 AWG 19/32",
        "--coating",
        "silver",
        "--class",
        "A",
        "--prices",
        "copper=1.55,silver=12.5/ozt",
        "--premiums",
        "copper=5USc/lb",
        "--yield-loss",
        "0.02",
        "--adder",
        "0.4",
    )
    copper = doc["copper_lb_per_kft"] * 1.02 * (1.55 + 0.05)
    silver = doc["silver_ozt_per_kft"] * 1.02 * 12.5
    assert doc["metal_cost_per_kft"] == pytest.approx(copper + silver)
    assert doc["metal_cost_per_lb"] == pytest.approx((copper + silver) / doc["total_lb_per_kft"])
    assert doc["price_per_kft"] == pytest.approx(copper + silver + 0.4 * doc["total_lb_per_kft"])
    assert doc["metal_cost_by_metal_per_kft"]["silver"] == pytest.approx(silver)

    tolled = run_json(
        capsys,
        "20 AWG 19/32",
        "--coating",
        "silver",
        "--class",
        "A",
        "--prices",
        "silver=12.5/ozt",
        "--tolled",
    )
    assert tolled["metal_cost_per_kft"] == pytest.approx(tolled["silver_ozt_per_kft"] * 12.5)


def test_human_output_is_a_table(capsys):
    code, out, err = run(capsys, "20 AWG 19/32", "--coating", "nickel", "--class", "2")
    assert code == 0
    assert err == ""
    assert "20 AWG 19/32" in out
    assert "nickel" in out
    assert "class 2" in out
    assert "lb/kft" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nonsense"], "construction 'nonsense' does not parse"),
        (["60"], "gauge '60' is out of range; expected 4/0 … 56 AWG"),
        (
            ["19/32", "--coating", "silver", "--class", "F"],
            "silver class 'F' does not exist; expected one of A, B, C, D, E (ASTM B298)",
        ),
        (["19/32", "--coating", "nickel", "--class", "3"], "nickel class '3' does not exist"),
        (["12", "--prices", "copper=abc"], "price of copper 'abc' is not a number"),
        (["12", "--prices", "gold=3"], "metal 'gold' does not exist"),
        (
            ["19/32", "--coating", "silver", "--class", "A", "--prices", "copper=1.55"],
            "no price for silver",
        ),
        (["12", "--coating", "gold"], "coating 'gold' does not exist"),
    ],
)
def test_user_errors_exit_1_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 1
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["12", "--class", "A"], "--class needs --coating"),
        (["12", "--coating", "tin"], "--coating tin needs --weight-pct or --thickness-uin"),
        (
            ["12", "--coating", "silver", "--class", "A", "--weight-pct", "2"],
            "--class and --weight-pct both given",
        ),
        (["12", "--yield-loss", "0.02"], "--yield-loss needs --prices"),
    ],
)
def test_usage_errors_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err
