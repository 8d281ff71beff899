"""Shared fixtures: a writable copy of the example case, and a way to change one of its files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from millnet.case import example_path

#: ``rewrite_csv(table, change, encoding=...)``: see the fixture.
RewriteCsv = Callable[..., Path]


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A copy of the ``mini`` example case (CSV folder with case.toml) in ``tmp_path``."""
    target = tmp_path / "mini"
    shutil.copytree(example_path("mini"), target)
    return target


@pytest.fixture
def rewrite_csv(mini_dir: Path) -> RewriteCsv:
    """Change one table file of ``mini_dir``: ``rewrite_csv("plants", change)``.

    ``change`` takes the file's text and returns the new text (written in ``encoding``, UTF-8
    unless told) or the new bytes (written as they are). Returns the file's path.
    """

    def rewrite(
        table: str, change: Callable[[str], str | bytes], *, encoding: str = "utf-8"
    ) -> Path:
        path = mini_dir / f"{table}.csv"
        new = change(path.read_text(encoding="utf-8"))
        if isinstance(new, bytes):
            path.write_bytes(new)
        else:
            path.write_bytes(new.encode(encoding))
        return path

    return rewrite


@pytest.fixture(autouse=True)
def _run_store_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Commands that save runs by default write to a throwaway store, never the repository's."""
    if "MILLNET_STORE" not in os.environ:
        store = tmp_path_factory.mktemp("store") / "runs.db"
        monkeypatch.setenv("MILLNET_STORE", str(store))
