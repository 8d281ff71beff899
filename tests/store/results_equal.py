"""What "the same Results" means in these tests."""

from __future__ import annotations

import dataclasses

import numpy as np

from millnet.results.results import Results
from millnet.solve.status import SolveOutcome


def assert_same_results(a: Results, b: Results) -> None:
    """Equal in every field a user can see: tables frame for frame, outcome, options."""
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        assert a[name].equals(b[name]), name
        assert a[name].schema == b[name].schema, name
    for field in ("case_name", "case_fingerprint", "scenario", "currency", "mass_unit"):
        assert getattr(a, field) == getattr(b, field), field
    assert a.reference_objective == b.reference_objective
    assert a.explanation == b.explanation
    assert dict(a.options) == dict(b.options)
    assert dict(a.timings) == dict(b.timings)
    for field in dataclasses.fields(SolveOutcome):
        left, right = getattr(a.outcome, field.name), getattr(b.outcome, field.name)
        if isinstance(left, np.ndarray):
            np.testing.assert_array_equal(left, right)
        else:
            assert left == right, field.name
