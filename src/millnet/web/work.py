"""The work of a job, run away from the server's event loop: a solve in a worker process, a
sweep in a thread that drives Dask. Each reports through the job's record and ends it as done
or failed, in words."""

from __future__ import annotations

import dataclasses
import time
import traceback
from pathlib import Path
from typing import Any

from millnet.errors import MillnetError
from millnet.web.jobs import JobBook, Progress


def solve_work(book_folder: str, job_id: str, params: dict[str, Any]) -> None:
    """Read the case, apply the scenario, plan, save the run. ``params``: ``case_path``,
    ``scenario_path`` (or None), ``model_options``, ``solve_options``, ``store_url``."""
    book = JobBook(Path(book_folder))
    progress = Progress(book, job_id)
    progress("reading the case", state="running", started_at=time.time())
    try:
        from millnet.case import read_case
        from millnet.model.options import ModelOptions
        from millnet.model.warm import warm_imports
        from millnet.plan import SolveOptions, solve_case
        from millnet.store import Store

        warm_imports()
        store = Store(params["store_url"]).check()
        case = read_case(params["case_path"])
        options = ModelOptions(**params.get("model_options", {}))
        scenario = None
        if params.get("scenario_path"):
            from millnet.scenario.apply import apply

            progress(f"applying scenario {Path(params['scenario_path']).stem}")
            applied = apply(case, params["scenario_path"], options)
            case, options, scenario = applied.case, applied.options, applied.scenario
        progress(
            "solving: validating, building the model, searching for the best plan, then the "
            "plan that keeps every plant running"
        )
        results = solve_case(case, options, SolveOptions(**params.get("solve_options", {})))
        if scenario is not None and results.scenario != scenario:
            results = dataclasses.replace(results, scenario=scenario)
        progress("saving the run")
        run_id = store.save(results)
        outcome = results.outcome
        finished = time.time()
        if outcome.status.has_plan:
            gap = "" if outcome.gap is None else f", gap {outcome.gap:.2%}"
            book.update(
                job_id,
                state="done",
                finished_at=finished,
                done=1,
                run_ids=(run_id,),
                message=f"{outcome.status.value}{gap}",
            )
        else:
            why = "; ".join(results.explanation) or outcome.termination
            book.update(
                job_id,
                state="failed",
                finished_at=finished,
                done=1,
                run_ids=(run_id,),
                message=outcome.status.value,
                error=f"no plan ({outcome.status.value}): {why}",
            )
    except MillnetError as exc:
        book.update(
            job_id, state="failed", finished_at=time.time(), message="failed", error=exc.message
        )
    except Exception as exc:
        traceback.print_exc()  # to the server's log; the page gets the words below
        book.update(
            job_id,
            state="failed",
            finished_at=time.time(),
            message="failed",
            error=f"internal error ({type(exc).__name__}: {exc}); this is a bug in millnet",
        )


def sweep_work(book_folder: str, job_id: str, params: dict[str, Any]) -> None:
    """Expand the sweep file and run it on Dask as ``millnet sweep`` does, saving each run as
    it completes. ``params``: ``case_path``, ``sweep_path``, ``workers``, ``time_limit``,
    ``gap``, ``store_url``."""
    book = JobBook(Path(book_folder))
    progress = Progress(book, job_id)
    progress("reading the case and expanding the sweep", state="running", started_at=time.time())
    try:
        from millnet.case import read_case
        from millnet.distributed import Done, SweepProgress, Task, run_sweep
        from millnet.model.options import ModelOptions
        from millnet.plan import SolveOptions
        from millnet.scenario.sweep import expand, load_sweep
        from millnet.store import Store
        from millnet.validate import validate

        base = read_case(params["case_path"])
        validate(base).raise_for_errors()
        loaded = load_sweep(params["sweep_path"])
        tasks = [Task(s.name, s) for s in expand(loaded)]
        store = Store(params["store_url"]).check()
        book.update(job_id, sweep=loaded.name, total=len(tasks))
        saved: list[str] = []

        def save(done: Done) -> str:
            run_id = store.save(done.results, sweep=loaded.name)
            saved.append(run_id)
            return run_id

        class Recorded(SweepProgress):
            """The sweep's progress written to the job record instead of a terminal."""

            def __init__(self) -> None:
                super().__init__(len(tasks), show=False)
                self.finished = 0
                self.failures: list[dict[str, str]] = []

            def done(self, name: str, message: str = "") -> None:
                super().done(name, message)
                self.finished += 1
                progress(
                    f"solved {name}" + (f" ({message})" if message else ""),
                    done=self.finished,
                    run_ids=tuple(saved),
                )

            def skip(self, name: str) -> None:
                super().skip(name)
                self.finished += 1
                progress(f"skipped {name} (already stored)", done=self.finished)

            def fail(self, name: str, message: str) -> None:
                super().fail(name, message)
                self.failures.append({"scenario": name, "error": message})
                progress(f"{name} failed", failed=len(self.failures), failures=tuple(self.failures))

        recorder = Recorded()
        progress(f"starting {params.get('workers', 2)} Dask worker(s) for {len(tasks)} scenarios")
        with store:
            report = run_sweep(
                base,
                tasks,
                model_options=ModelOptions(),
                # one core per worker: HiGHS's own threads would only compete with the others
                solve_options=SolveOptions(
                    time_limit=params.get("time_limit"), gap=params.get("gap"), threads=1
                ),
                workers=int(params.get("workers", 2)),
                on_done=save,
                progress=recorder,
            )
        failed = len(report.failed)
        summary = f"{len(report.finished)} solved, {failed} failed in {report.seconds:.0f} s"
        book.update(
            job_id,
            state="failed" if failed and not report.finished else "done",
            finished_at=time.time(),
            done=len(report.finished) + len(report.skipped),
            failed=failed,
            run_ids=tuple(saved),
            failures=tuple({"scenario": f.name, "error": f.message} for f in report.failed),
            message=summary,
            error=f"every scenario failed ({summary})" if failed and not report.finished else None,
        )
    except MillnetError as exc:
        book.update(
            job_id, state="failed", finished_at=time.time(), message="failed", error=exc.message
        )
    except Exception as exc:
        traceback.print_exc()
        book.update(
            job_id,
            state="failed",
            finished_at=time.time(),
            message="failed",
            error=f"internal error ({type(exc).__name__}: {exc}); this is a bug in millnet",
        )
