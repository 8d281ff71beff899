"""Run a solver on a built model: the only side effects of the pipeline (solver, log).

HiGHS is driven directly (through linopy's highspy bridge); other solvers go through linopy.
With a time limit, HiGHS runs in a supervised child process: the time limit is a promise, kept
even when the solver overruns its own limit, and the best plan found so far is kept.
"""

from __future__ import annotations

import math
import multiprocessing
import tempfile
import time
from pathlib import Path
from typing import Any

import linopy
import numpy as np

from millnet.errors import MillnetError
from millnet.model.build import BuiltModel
from millnet.solve._stdout import stdout_to_stderr
from millnet.solve.options import SolveOptions
from millnet.solve.start import set_start, start_columns
from millnet.solve.status import SolveOutcome, Status

#: HiGHS model status words → millnet status when a primal solution exists / does not.
_OPTIMAL = {"Optimal"}
_INFEASIBLE = {"Infeasible", "Primal infeasible or unbounded", "Unbounded"}


def run(built: BuiltModel, options: SolveOptions | None = None) -> SolveOutcome:
    options = options or SolveOptions()
    if options.solver.lower() == "highs":
        return _run_highs(built, options)
    return _run_linopy(built, options)


def _highs_options(options: SolveOptions) -> dict[str, Any]:
    values: dict[str, Any] = {"output_flag": options.log}
    if options.time_limit is not None:
        values["time_limit"] = float(options.time_limit)
    if options.gap is not None:
        values["mip_rel_gap"] = float(options.gap)
    if options.threads is not None:
        values["threads"] = int(options.threads)
    return values


def _classify(word: str, has_solution: bool, gap: float | None) -> Status:
    if word in _OPTIMAL:
        return Status.OPTIMAL
    if word in _INFEASIBLE:
        return Status.INFEASIBLE
    if has_solution:
        return Status.FEASIBLE
    if "limit" in word.lower() or "interrupt" in word.lower():
        return Status.TIMEOUT
    return Status.ERROR


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) and abs(value) < 1e300 else None


def _values_by_label(built: BuiltModel, columns: np.ndarray) -> np.ndarray:
    """Solver columns (in linopy's column order) as values by variable label, in the model's
    units (a column is the value × the build's solver scale)."""
    m = built.model
    # the label index is cached by linopy and is the column order of its solver matrices;
    # ``m.matrices`` would rebuild the whole matrix only to read it
    vlabels = m.variables.label_index.vlabels
    values = np.full(m._xCounter, np.nan)
    if columns.size == vlabels.size:
        values[vlabels] = columns
        if built.solver_scale is not None:
            values /= built.solver_scale
    return values


#: Thread count HiGHS's global scheduler was started with in this process (0: its default).
_scheduler_threads: list[int] = []


def _prepare_scheduler(threads: int | None) -> None:
    """HiGHS runs one thread pool per process; a solve asking for another thread count ends
    with status 'Not Set' unless the pool is reset first."""
    import highspy

    wanted = threads or 0
    if _scheduler_threads and _scheduler_threads[0] != wanted:
        highspy.Highs.resetGlobalScheduler(True)
    _scheduler_threads[:] = [wanted]


def _run_highs(built: BuiltModel, options: SolveOptions) -> SolveOutcome:
    m = built.model
    start = time.perf_counter()
    with stdout_to_stderr(show=options.log):
        h = linopy.io.to_highspy(m)
        settings = _highs_options(options)
        for key, value in settings.items():
            h.setOptionValue(key, value)
        if options.time_limit is None:
            _prepare_scheduler(options.threads)
            set_start(h, built, options.start)
            h.run()
            status = h.getModelStatus()
            info = h.getInfo()
            word = h.modelStatusToString(status)
            has_solution = int(info.primal_solution_status) == 2
            columns = np.asarray(h.getSolution().col_value, dtype=float)
            return _outcome(
                built,
                word,
                has_solution,
                info.objective_function_value,
                info.mip_dual_bound,
                info.mip_gap,
                _values_by_label(built, columns),
                time.perf_counter() - start,
            )
        return _supervised(built, h, settings, options, start)


def _outcome(
    built: BuiltModel,
    word: str,
    has_solution: bool,
    objective: float,
    bound: float,
    gap: float,
    values: np.ndarray,
    seconds: float,
    watchdog: bool = False,
) -> SolveOutcome:
    """The outcome of a solve; ``values`` by variable label in the model's units."""
    sign = -1.0 if built.sense == "max" else 1.0
    status = _classify(word, has_solution, _finite(gap))
    has_integers = built.has_integers
    objective_value = _finite(objective) if has_solution else None
    bound_value = _finite(bound) if has_integers else objective_value
    gap_value = (_finite(gap) if has_integers else 0.0) if has_solution else None
    if status is Status.OPTIMAL and gap_value is not None and gap_value > 1.0:
        gap_value = 0.0
    return SolveOutcome(
        status=status,
        termination=word,
        objective=None if objective_value is None else sign * objective_value,
        bound=None if bound_value is None else sign * bound_value,
        gap=gap_value,
        solver="highs",
        solve_s=seconds,
        values=values if has_solution else np.empty(0),
        stopped_by_watchdog=watchdog,
    )


def _supervised(
    built: BuiltModel, h: Any, settings: dict[str, Any], options: SolveOptions, start: float
) -> SolveOutcome:
    """Solve in a child process; stop it at time limit + grace, keeping the best plan."""
    assert options.time_limit is not None
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="millnet-solve-") as tmp:
        path = str(Path(tmp) / "model.mps")
        h.writeModel(path)
        receive, send = context.Pipe(duplex=False)
        from millnet.solve.worker import solve_file

        start_at = None if options.start is None else start_columns(built, options.start)
        worker = context.Process(
            target=solve_file, args=(path, dict(settings), send, start_at), daemon=True
        )
        worker.start()
        send.close()
        deadline = start + options.time_limit + options.grace
        best: tuple[float, float, float, np.ndarray] | None = None
        final: tuple[Any, ...] | None = None
        try:
            while final is None:
                remaining = deadline - time.perf_counter()
                if remaining <= 0 or not receive.poll(min(remaining, 0.5)):
                    if remaining <= 0 or (not worker.is_alive() and not receive.poll(0)):
                        break
                    continue
                try:
                    message = receive.recv()
                except EOFError:
                    break
                if message[0] == "incumbent":
                    best = message[1:]
                else:
                    final = message
        finally:
            if worker.is_alive():
                worker.kill()
            worker.join(timeout=5)
            receive.close()
    seconds = time.perf_counter() - start
    if final is not None:
        _, word, primal_status, objective, bound, gap, columns = final
        values = _values_by_label(built, columns)
        return _outcome(built, word, primal_status == 2, objective, bound, gap, values, seconds)
    if best is not None:
        objective, bound, gap, columns = best
        return _outcome(
            built,
            "Stopped by the watchdog",
            True,
            objective,
            bound,
            gap,
            _values_by_label(built, columns),
            seconds,
            watchdog=True,
        )
    return SolveOutcome(
        status=Status.TIMEOUT,
        termination="Stopped by the watchdog with no plan",
        objective=None,
        bound=None,
        gap=None,
        solver="highs",
        solve_s=seconds,
        stopped_by_watchdog=True,
    )


def _run_linopy(built: BuiltModel, options: SolveOptions) -> SolveOutcome:
    name = options.solver.lower()
    if name not in linopy.available_solvers:
        raise MillnetError(
            f"solver '{options.solver}' is not available; installed: "
            f"{', '.join(linopy.available_solvers)}"
        )
    m = built.model
    kwargs: dict[str, Any] = {}
    if options.time_limit is not None:
        kwargs["time_limit"] = options.time_limit
    start = time.perf_counter()
    with stdout_to_stderr(show=options.log):
        status, condition = m.solve(solver_name=name, **kwargs)
    seconds = time.perf_counter() - start
    has_solution = status in ("ok", "warning") and m.objective.value is not None
    word = str(condition)
    mapped = "Optimal" if word == "optimal" else word
    values = np.full(m._xCounter, np.nan)
    if has_solution:
        for var in m.variables.values():
            lab = np.asarray(var.labels.values).ravel()
            sol = np.asarray(var.solution.values, dtype=float).ravel()
            values[lab[lab >= 0]] = sol[lab >= 0]
    objective = float(m.objective.value) if has_solution else math.nan
    return _outcome(
        built,
        mapped,
        has_solution,
        objective,
        objective,
        0.0,
        values if has_solution else np.empty(0),
        seconds,
    )
