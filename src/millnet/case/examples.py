"""Named example cases shipped with the package, used by tests, docs and the demo."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from millnet.errors import MillnetError

_ROOT = resources.files("millnet") / "data" / "examples"


def example_names() -> list[str]:
    return sorted(p.name for p in _ROOT.iterdir() if p.is_dir() and not p.name.startswith("_"))


def example_path(name: str) -> Path:
    """Folder of the named example case."""
    if name not in example_names():
        raise MillnetError(
            f"unknown example case '{name}'; expected one of {', '.join(example_names())}"
        )
    return Path(str(_ROOT / name))


def load_example(name: str):
    from millnet.case.io import read_case

    return read_case(example_path(name))
