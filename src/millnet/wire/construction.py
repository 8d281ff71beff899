"""Conductor constructions as written on a data sheet: "12 AWG", "20 AWG 19/32", "19/32".

"N/g" means N strands of AWG g (wire.md §1.5 [F]). The conductor is always computed from
N · strand area: the nominal "equivalent AWG" in front ("20" in "20 AWG 19/32") is kept for
information only, because a stranded construction can carry more area than the solid size it
stands for (19/32 = 1,201 cmil against 1,022 cmil for solid 20 AWG).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from millnet.errors import MillnetError
from millnet.wire.geometry import format_gauge, parse_gauge

_EXPECTED = "expected e.g. '12 AWG', '4/0 AWG', '20 AWG 19/32' or '19/32'"


@dataclass(frozen=True, slots=True)
class Construction:
    """A parsed conductor construction.

    Attributes:
        gauge: the nominal AWG number n of the whole conductor, for information only (None
            when the text gives only ``N/g``). m/0 sizes are n = 1 - m.
        strands: number of strands N (1 for a solid wire).
        strand_gauge: AWG number g of each strand (the wire itself when solid).
        text: the string as given.
    """

    gauge: int | None
    strands: int
    strand_gauge: int
    text: str

    @property
    def label(self) -> str:
        """Canonical spelling: ``"12 AWG"``, ``"20 AWG 19/32"``, ``"19/32"``, ``"4/0 AWG"``."""
        strand = f"{self.strands}/{format_gauge(self.strand_gauge)}"
        if self.gauge is None:
            return strand
        if self.strands == 1 and self.strand_gauge == self.gauge:
            return f"{format_gauge(self.gauge)} AWG"
        return f"{format_gauge(self.gauge)} AWG {strand}"


def _fail(text: str) -> MillnetError:
    return MillnetError(f"construction '{text}' does not parse; {_EXPECTED}")


def _strands(token: str, text: str) -> tuple[int, int] | None:
    """``"19/32"`` → (19, 32); ``"7/1/0"`` → (7, 0); None when the token is a gauge."""
    parts = token.split("/")
    if len(parts) == 2 and parts[1] == "0":
        return None  # an m/0 gauge such as 4/0
    if len(parts) == 3 and parts[2] == "0":
        count, gauge = parts[0], f"{parts[1]}/0"
    elif len(parts) == 2:
        count, gauge = parts
    elif len(parts) == 1:
        return None
    else:
        raise _fail(text)
    if not count.isdigit() or int(count) < 1:
        raise MillnetError(
            f"construction '{text}': strand count '{count}' is not valid; expected a whole "
            "number of at least 1, as in '19/32'"
        )
    return int(count), _gauge(gauge, text)


def _gauge(token: str, text: str) -> int:
    try:
        return parse_gauge(token)
    except MillnetError as exc:
        raise MillnetError(f"construction '{text}': {exc.message}") from None


def parse_construction(text: str) -> Construction:
    """Parse a construction string into (nominal gauge, strands N, strand gauge g).

    Accepted forms (case-insensitive; ``AWG`` optional; the strand part may be in parentheses):

    * ``"12 AWG"``, ``"12"``, ``"4/0 AWG"``, ``"0000"``, ``"2/0"``: a solid wire;
    * ``"20 AWG 19/32"``, ``"20 AWG (19/32)"``: 19 strands of 32 AWG, nominally 20 AWG;
    * ``"19/32"``, ``"19/32 AWG"``: 19 strands of 32 AWG, no nominal size;
    * ``"7/1/0"``: 7 strands of 1/0 (a bare ``m/0`` is always the gauge m/0, never strands).

    Source: wire.md §1.5 (notation N/g [F]); gauge spellings per §1.1 (ASTM B258).

    Raises:
        MillnetError: the text does not parse, a strand count is not a whole number of at least
            1, or a gauge lies outside 4/0 … 56.
    """
    if not isinstance(text, str):
        raise _fail(str(text))
    normal = re.sub(r"(?i)awg", " ", text)
    normal = re.sub(r"\s*/\s*", "/", normal.replace("(", " ").replace(")", " "))
    tokens = normal.split()
    if not tokens or len(tokens) > 2:
        raise _fail(text)
    if any(not re.fullmatch(r"[0-9/.+-]+", token) for token in tokens):
        raise _fail(text)
    last = _strands(tokens[-1], text)
    if len(tokens) == 2:
        if last is None:
            raise _fail(text)
        return Construction(_gauge(tokens[0], text), last[0], last[1], text)
    if last is not None:
        return Construction(None, last[0], last[1], text)
    gauge = _gauge(tokens[0], text)
    return Construction(gauge, 1, gauge, text)
