"""Import what the first model build and solve would otherwise import lazily.

Timings of a run exclude interpreter start-up and imports; calling :func:`warm_imports` before
the clock starts keeps the libraries' lazy imports (dask, scipy, highspy) out of ``build_s``.
"""

from __future__ import annotations

import importlib

_MODULES = (
    "dask.array",
    "scipy.sparse",
    "highspy",
    "linopy.io",
    "linopy.solvers",
    "millnet.wire",
)


def warm_imports() -> None:
    for name in _MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional accelerator missing only costs time later
            continue
