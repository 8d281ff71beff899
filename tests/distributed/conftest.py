"""The mini example case as a folder, for sweeps through the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from millnet.case import example_path


@pytest.fixture
def mini_folder(tmp_path: Path) -> Path:
    """A copy of the ``mini`` example case."""
    target = tmp_path / "mini"
    shutil.copytree(example_path("mini"), target)
    return target
