"""Errors of the run store: each names the store (password hidden) and the run."""

from __future__ import annotations

from millnet.errors import MillnetError


class StoreError(MillnetError):
    """The store cannot be opened or written: bad URL, unreachable server, locked or read-only
    file, a store written by a newer millnet. CLI exit code 1."""


class UnknownRunError(StoreError):
    """No run has this id (or id prefix) in the store. CLI exit code 1."""


class AmbiguousRunError(StoreError):
    """An id prefix that matches several runs. CLI exit code 1."""
