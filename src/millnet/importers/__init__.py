"""Importers: cases built from other formats (benchmark instances, other tools' files)."""

from millnet.importers.orlib import read_orlib_cap

__all__ = ["read_orlib_cap"]
