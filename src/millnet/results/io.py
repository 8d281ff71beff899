"""Results to and from a folder: one Parquet file per table and ``meta.json`` for the rest.

The folder is what ``millnet solve --out`` and ``millnet runs export`` write. ``meta.json``
holds everything in :class:`Results` that is not a table (case, fingerprint, options, outcome,
timings, scenario, units, reference objective, explanation) and the millnet version that wrote
it, so :func:`read_results` rebuilds the same Results and a stale folder can never pass for a
fresh plan of another case. The run store keeps the same document, so both share the encoding
here.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from millnet.errors import MillnetError
from millnet.model.options import ModelOptions
from millnet.results.results import Results
from millnet.solve.status import SolveOutcome, Status

#: ``format`` of meta.json; a folder without it is not a results folder.
FORMAT = "millnet-results"
#: Raised when the document changes in a way older readers cannot follow.
FORMAT_VERSION = 1
META_FILE = "meta.json"
#: The solver's primal values by variable label: not a result table (its meaning is the
#: model's labels), kept so a reloaded outcome is the one that was solved.
SOLUTION_FILE = "_solution.parquet"
LOG_FILE = "solver.log"

#: Results fields written by :func:`results_meta`; a new field must be added there too.
META_FIELDS = (
    "case_name",
    "case_fingerprint",
    "options",
    "outcome",
    "timings",
    "scenario",
    "currency",
    "mass_unit",
    "distance_unit",
    "reference_objective",
    "explanation",
    "run_id",
)


class NotResultsError(MillnetError):
    """A path that is not a results folder (or a damaged one). CLI exit code 2."""

    exit_code = 2


def millnet_version() -> str:
    try:
        return version("millnet")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _number(value: float | None) -> float | None:
    # JSON has no NaN or infinity; the outcome never carries them (None means "none")
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return _number(value)
    return value


def results_meta(results: Results) -> dict[str, Any]:
    """Everything in ``results`` but the tables and the solver's values and log, as JSON data."""
    outcome = results.outcome
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "millnet_version": millnet_version(),
        "run_id": results.run_id,
        "case_name": results.case_name,
        "case_fingerprint": results.case_fingerprint,
        "scenario": results.scenario,
        "currency": results.currency,
        "mass_unit": results.mass_unit,
        "distance_unit": results.distance_unit,
        "reference_objective": _number(results.reference_objective),
        "explanation": list(results.explanation),
        "options": _jsonable(results.options),
        "timings": {k: float(v) for k, v in results.timings.items()},
        "outcome": {
            "status": outcome.status.value,
            "termination": outcome.termination,
            "objective": _number(outcome.objective),
            "bound": _number(outcome.bound),
            "gap": _number(outcome.gap),
            "solver": outcome.solver,
            "solve_s": float(outcome.solve_s),
            "stopped_by_watchdog": bool(outcome.stopped_by_watchdog),
        },
        "tables": list(results.tables),
    }


def _options(stored: Mapping[str, Any]) -> dict[str, Any]:
    """Options as the solve had them: JSON turned ``force_states`` triples into lists; the
    model's own validation turns them back. Keys it does not know pass through unchanged."""
    known = {k: v for k, v in stored.items() if k in ModelOptions.model_fields}
    restored = ModelOptions.model_validate(known).model_dump(include=set(known))
    return {k: restored.get(k, v) for k, v in stored.items()}


def results_from_meta(
    meta: Mapping[str, Any],
    tables: Mapping[str, pl.DataFrame],
    *,
    values: np.ndarray | None = None,
    log: str = "",
    where: str = "results",
) -> Results:
    """The Results a :func:`results_meta` document describes, with its tables.

    ``where`` names the document in error messages (a path, or a run in a store).
    """
    if meta.get("format") != FORMAT:
        raise NotResultsError(f"{where}: not a millnet results document (no format {FORMAT!r})")
    if int(meta.get("format_version", 0)) > FORMAT_VERSION:
        raise NotResultsError(
            f"{where}: written by millnet {meta.get('millnet_version')} in results format "
            f"{meta.get('format_version')}; this millnet reads up to format {FORMAT_VERSION}"
        )
    try:
        o = meta["outcome"]
        outcome = SolveOutcome(
            status=Status(o["status"]),
            termination=str(o["termination"]),
            objective=o["objective"],
            bound=o["bound"],
            gap=o["gap"],
            solver=str(o["solver"]),
            solve_s=float(o["solve_s"]),
            values=np.empty(0) if values is None else values,
            log=log,
            stopped_by_watchdog=bool(o.get("stopped_by_watchdog", False)),
        )
        return Results(
            case_name=str(meta["case_name"]),
            case_fingerprint=str(meta["case_fingerprint"]),
            options=_options(meta["options"]),
            outcome=outcome,
            tables=tables,
            timings={str(k): float(v) for k, v in meta["timings"].items()},
            scenario=meta.get("scenario"),
            currency=str(meta.get("currency", "")),
            mass_unit=str(meta.get("mass_unit", "")),
            distance_unit=str(meta.get("distance_unit", "")),
            reference_objective=meta.get("reference_objective"),
            explanation=tuple(meta.get("explanation", ())),
            run_id=meta.get("run_id"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise NotResultsError(f"{where}: damaged results document ({exc!r})") from exc


def frame_to_bytes(frame: pl.DataFrame) -> bytes:
    """One table as Parquet bytes (keeps every dtype, including empty tables' schemas)."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def frame_from_bytes(data: bytes) -> pl.DataFrame:
    return pl.read_parquet(io.BytesIO(data))


def values_to_frame(values: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame({"value": np.asarray(values, dtype=np.float64)})


def _write_atomic(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def write_results(results: Results, folder: str | Path) -> Path:
    """Write ``results`` to ``folder`` (created if needed): ``<table>.parquet`` for every table,
    ``_solution.parquet`` and ``solver.log`` when the outcome has them, and ``meta.json``.

    ``meta.json`` goes first out and last in: a folder whose writing was interrupted has none,
    so it reads as "not a results folder" rather than as a mix of two plans.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotResultsError(f"{folder}: exists and is not a folder; cannot write results there")
    folder.mkdir(parents=True, exist_ok=True)
    meta_path = folder / META_FILE
    meta_path.unlink(missing_ok=True)
    for name, frame in results.tables.items():
        frame.write_parquet(folder / f"{name}.parquet")
    solution = folder / SOLUTION_FILE
    if results.outcome.values.size:
        values_to_frame(results.outcome.values).write_parquet(solution)
    else:
        solution.unlink(missing_ok=True)
    log = folder / LOG_FILE
    if results.outcome.log:
        log.write_text(results.outcome.log, encoding="utf-8")
    else:
        log.unlink(missing_ok=True)
    text = json.dumps(results_meta(results), indent=2, allow_nan=False) + "\n"
    _write_atomic(meta_path, text.encode("utf-8"))
    return folder


def read_results(folder: str | Path) -> Results:
    """The Results :func:`write_results` wrote to ``folder``."""
    folder = Path(folder)
    if not folder.exists():
        raise NotResultsError(f"{folder}: no such results folder")
    if not folder.is_dir():
        raise NotResultsError(f"{folder}: not a results folder (a file, expected a folder)")
    meta_path = folder / META_FILE
    if not meta_path.is_file():
        raise NotResultsError(
            f"{folder}: not a results folder: {META_FILE} is missing (write one with "
            "`millnet solve CASE --out DIR` or `millnet runs export RUN DIR`)"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotResultsError(f"{meta_path}: not valid JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise NotResultsError(f"{meta_path}: expected a JSON object")
    names = meta.get("tables")
    if not isinstance(names, list):
        raise NotResultsError(f"{meta_path}: key 'tables' is missing or not a list")
    missing = [f"{n}.parquet" for n in names if not (folder / f"{n}.parquet").is_file()]
    if missing:
        raise NotResultsError(
            f"{folder}: {META_FILE} lists tables whose files are missing: {', '.join(missing)}"
        )
    tables: dict[str, pl.DataFrame] = {}
    for name in names:
        path = folder / f"{name}.parquet"
        try:
            tables[name] = pl.read_parquet(path)
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise NotResultsError(f"{path}: not a readable Parquet file ({exc})") from exc
    solution = folder / SOLUTION_FILE
    values = pl.read_parquet(solution)["value"].to_numpy() if solution.is_file() else None
    log_path = folder / LOG_FILE
    log = log_path.read_text(encoding="utf-8") if log_path.is_file() else ""
    return results_from_meta(meta, tables, values=values, log=log, where=str(meta_path))
