"""Generated cases: the iwg2009 reference case and synthetic networks of any size.

Both come from the same building blocks (places, product catalogue, customers and demand,
plant economics, markets) and are deterministic: the same inputs give the same case::

    from millnet.generate import NetworkSpec, generate_network, reference_case

    case = generate_network(NetworkSpec(plants=60, customers=5000, periods=12, seed=7))
    iwg = reference_case()          # what cases/iwg2009/generate.py writes
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from millnet.case import Case, write_case
from millnet.generate.iwg2009 import build as reference_case
from millnet.generate.network import LIMITS, NetworkSpec, generate_network

#: The steps :func:`generate_network` reports to ``on_step``, in order.
STEPS = ("plants", "products", "customers", "demand", "qualifications", "capacity", "market")


def write_case_files(case: Case, folder: str | Path) -> list[Path]:
    """Write ``case`` as CSV files and ``case.toml`` into ``folder``, replacing those files only.

    Unlike :func:`millnet.case.write_case`, other files in the folder (a script, a README)
    are left alone. Returns the files written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix=".millnet-") as tmp:
        staged = write_case(case, Path(tmp) / "case", "csv")
        for source in sorted(staged.iterdir()):
            target = folder / source.name
            shutil.copyfile(source, target)
            written.append(target)
    return written


__all__ = [
    "LIMITS",
    "STEPS",
    "NetworkSpec",
    "generate_network",
    "reference_case",
    "write_case_files",
]
