"""Cases: the frozen :class:`Case`, reading and writing, and the named example cases."""

from millnet.case.examples import example_names, example_path, load_example
from millnet.case.io import read_case
from millnet.case.model import Case, TableSource
from millnet.case.writers import write_case, write_template

__all__ = [
    "Case",
    "TableSource",
    "example_names",
    "example_path",
    "load_example",
    "read_case",
    "write_case",
    "write_template",
]
