"""Run keys: the same case, scenario and options give the same key.

A sweep's ``--resume`` skips every task whose key the store already holds. The key covers what
decides the plan: the case fingerprint (a scenario applied to a case gives a new fingerprint),
the scenario name and every option, except those that only change how the solver is watched
(:data:`IGNORED_OPTIONS`), so re-running with ``--log`` does not count as a new run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from millnet.model.options import ModelOptions
from millnet.results.results import Results
from millnet.solve.options import SolveOptions

#: Options that change how a solve is run or shown, not which plan it asks for.
IGNORED_OPTIONS = frozenset({"log", "threads", "grace"})


def options_hash(options: Mapping[str, object]) -> str:
    """A stable hash of the options that decide the plan (order of keys does not matter)."""
    kept = {k: v for k, v in options.items() if k not in IGNORED_OPTIONS}
    text = json.dumps(kept, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def run_key(case_fingerprint: str, scenario: str | None, options: Mapping[str, object]) -> str:
    """The key of a run of ``scenario`` (``None``: the case as it is) on a case with this
    fingerprint, with these model and solver options (as in ``Results.options``)."""
    text = json.dumps(
        [case_fingerprint, scenario, options_hash(options)], separators=(",", ":")
    ).encode("utf-8")
    return hashlib.sha256(text).hexdigest()[:32]


def results_key(results: Results) -> str:
    """The run key of a solved plan."""
    return run_key(results.case_fingerprint, results.scenario, results.options)


def task_key(
    case_fingerprint: str,
    scenario: str | None,
    model_options: ModelOptions,
    solve_options: SolveOptions,
) -> str:
    """The key a run will have before it is solved (the options as ``solve_case`` records
    them), so a sweep can ask the store whether it already holds it."""
    options = {**model_options.model_dump(), **solve_options.model_dump()}
    return run_key(case_fingerprint, scenario, options)
