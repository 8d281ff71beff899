"""Table declarations: the single source of truth for the case format."""

from millnet.schema.core import Column, ForeignKey, Table
from millnet.schema.meta import CaseMeta
from millnet.schema.tables import TABLES

__all__ = ["TABLES", "CaseMeta", "Column", "ForeignKey", "Table"]
