"""The solver process the watchdog supervises: read a model file, solve, report incumbents.

Runs in a child process (spawned fresh, so nothing of the parent's threads is inherited). Every
improving plan is sent to the parent as soon as it is found, so the parent keeps the best plan
even when it has to stop this process.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any


def solve_file(
    path: str, options: dict[str, Any], conn: Connection, start: tuple[Any, Any] | None = None
) -> None:
    """Solve the model at ``path``; ``start``: solver column positions and values of a MIP
    start (see :mod:`millnet.solve.start`)."""
    import numpy as np

    from millnet.solve._stdout import stdout_to_stderr

    with stdout_to_stderr(show=bool(options.get("output_flag", False))):
        import highspy

        h = highspy.Highs()
        h.setOptionValue("output_flag", bool(options.pop("output_flag", False)))
        for key, value in options.items():
            h.setOptionValue(key, value)
        h.readModel(path)
        if start is not None and len(start[0]):
            h.setSolution(len(start[0]), start[0], start[1])

        def improving(event: Any) -> None:
            out = event.data_out
            conn.send(
                (
                    "incumbent",
                    float(out.objective_function_value),
                    float(out.mip_dual_bound),
                    float(out.mip_gap),
                    np.asarray(out.mip_solution, dtype=float),
                )
            )

        h.cbMipImprovingSolution.subscribe(improving)
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        values = np.asarray(h.getSolution().col_value, dtype=float)
        conn.send(
            (
                "final",
                h.modelStatusToString(status),
                int(info.primal_solution_status),
                float(info.objective_function_value),
                float(info.mip_dual_bound),
                float(info.mip_gap),
                values,
            )
        )
    conn.close()
