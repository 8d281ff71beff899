"""Construction strings: "12 AWG", "20 AWG 19/32", "19/32", "4/0 AWG" (wire.md §1.5)."""

from __future__ import annotations

import pytest

from millnet.errors import MillnetError
from millnet.wire import Construction, parse_construction, wire_content


@pytest.mark.parametrize(
    ("text", "gauge", "strands", "strand_gauge", "label"),
    [
        ("12 AWG", 12, 1, 12, "12 AWG"),
        ("36", 36, 1, 36, "36 AWG"),
        ("4/0 AWG", -3, 1, -3, "4/0 AWG"),
        ("0000", -3, 1, -3, "4/0 AWG"),
        ("00 awg", -1, 1, -1, "2/0 AWG"),
        ("12AWG", 12, 1, 12, "12 AWG"),
        ("20 AWG 19/32", 20, 19, 32, "20 AWG 19/32"),
        ("22 AWG 19/34", 22, 19, 34, "22 AWG 19/34"),
        ("20 AWG (19/32)", 20, 19, 32, "20 AWG 19/32"),
        ("19/32", None, 19, 32, "19/32"),
        ("19 / 32 AWG", None, 19, 32, "19/32"),
        ("7/1/0", None, 7, 0, "7/1/0"),
        ("4/0 AWG 2109/34", -3, 2109, 34, "4/0 AWG 2109/34"),
    ],
)
def test_constructions_parse(text, gauge, strands, strand_gauge, label):
    parsed = parse_construction(text)
    assert parsed == Construction(gauge, strands, strand_gauge, text)
    assert parsed.label == label


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "construction '' does not parse; expected e.g. '12 AWG'"),
        ("twelve", "construction 'twelve' does not parse"),
        ("20 19/32 7", "construction '20 19/32 7' does not parse"),
        ("19/32/1", "construction '19/32/1' does not parse"),
        ("60", "construction '60': gauge '60' is out of range; expected 4/0 … 56 AWG"),
        ("20 AWG 19/60", "construction '20 AWG 19/60': gauge '60' is out of range"),
        ("5/0", "construction '5/0': gauge '5/0' is out of range"),
        ("0/32", "construction '0/32': strand count '0' is not valid"),
    ],
)
def test_bad_constructions_raise_one_clear_message(text, message):
    with pytest.raises(MillnetError, match=message):
        parse_construction(text)


def test_the_nominal_gauge_is_information_only():
    # wire.md §1.5: always compute from N · strand area, never from the equivalent AWG.
    assert wire_content("20 AWG 19/32").as_dict() == wire_content("19/32").as_dict()
    assert wire_content("19/32").area_cmil > wire_content("20 AWG").area_cmil
