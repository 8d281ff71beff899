"""Result tables as real HTML tables: units in the headers, numbers right-aligned and formatted,
raw values kept in ``data-v`` so a click on a header sorts by number, not by text."""

from __future__ import annotations

from html import escape

import polars as pl
from markupsafe import Markup

from millnet.report.columns import describe, header, kind_of
from millnet.report.format import cell


def html_table(
    frame: pl.DataFrame,
    table: str,
    currency: str,
    mass_unit: str,
    *,
    limit: int | None = None,
    headers: dict[str, str] | None = None,
    kinds: dict[str, str | None] | None = None,
    empty: str = "No rows.",
) -> Markup:
    """``frame`` as a sortable table; ``table`` names the declaration its columns are read from
    (units, number formats, header tooltips). ``headers`` and ``kinds`` override a column's header
    and number kind; with ``limit``, only the first rows are shown and a note says how many more
    there are (the workbook has them all)."""
    if frame.height == 0:
        return Markup(f'<p class="empty">{escape(empty)}</p>')
    headers = headers or {}
    kinds = kinds or {}
    columns = frame.columns
    column_kinds = {c: kinds[c] if c in kinds else kind_of(table, c) for c in columns}
    numeric = {c: frame.schema[c].is_numeric() for c in columns}
    head = "".join(
        f'<th scope="col" class="{"num" if numeric[c] else "txt"}"'
        f' title="{escape(describe(table, c))}">'
        f"{escape(headers.get(c) or header(table, c, currency, mass_unit))}</th>"
        for c in columns
    )
    shown = frame if limit is None else frame.head(limit)
    rows = []
    for row in shown.iter_rows():
        cells = []
        for c, value in zip(columns, row, strict=True):
            text = escape(cell(value, column_kinds[c]))
            if numeric[c] and value is not None:
                cells.append(f'<td class="num" data-v="{value!r}">{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if limit is not None and frame.height > limit:
        rest = frame.height - limit
        more = (
            f'<p class="more">Showing the first {limit:,} of {frame.height:,} rows; '
            f"the other {rest:,} are in the workbook (<code>--xlsx</code>).</p>"
        )
    return Markup(
        f'<div class="table-wrap"><table class="data sortable" data-table="{escape(table)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{more}"
    )
