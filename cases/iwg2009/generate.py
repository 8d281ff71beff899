"""Write the iwg2009 reference case: the CSV tables and case.toml beside this script.

Usage::

    .venv/bin/python cases/iwg2009/generate.py [OUT]

OUT defaults to this folder; other files in it (this script, README.md) are left alone. The
case is deterministic: running the script again rewrites the same bytes.

The case is built by :func:`millnet.generate.reference_case` from the facts and assumptions in
``src/millnet/generate/iwg2009.py`` (sources and tags: README.md); ``millnet generate`` uses the
same building blocks for synthetic networks of any size.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from millnet.generate import iwg2009, reference_case, write_case_files
from millnet.validate import validate


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent
    case = reference_case()
    report = validate(case)
    if not report.ok:
        for issue in report.errors:
            print(f"error: {issue.file} row {issue.row} {issue.column}: {issue.message}")
        return 1
    write_case_files(case, out)
    check = iwg2009.sales_check(case)
    print(f"wrote {case.name} ({case.fingerprint[:12]}) to {out}")
    with pl.Config(tbl_rows=20, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        print(check)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
