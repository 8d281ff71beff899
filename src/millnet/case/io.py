"""Read and write cases: a folder of CSV files, a folder of Parquet files, or one workbook.

Reading never raises on bad content: a bad cell, header or file becomes an issue of the Case,
reported by :func:`millnet.validate`. Only a path that does not exist or cannot be opened as a
case at all raises :class:`~millnet.errors.CaseError`.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import ValidationError as PydanticError

from millnet.case.coerce import RawTable, coerce_table
from millnet.case.model import Case, CaseFormat, TableSource
from millnet.case.readers import (
    max_table_bytes,
    megabytes,
    read_csv_table,
    read_parquet_table,
    read_toml_settings,
    read_workbook,
)
from millnet.errors import CaseError
from millnet.issues import Issue
from millnet.schema import TABLES, CaseMeta

EXTENSIONS: dict[str, str] = {"csv": ".csv", "parquet": ".parquet"}


def detect_format(path: Path) -> CaseFormat:
    """The format of the case at ``path``; :class:`CaseError` when it is not a case."""
    if not path.exists():
        raise CaseError(f"{path}: no such file or folder")
    if path.is_file():
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return "xlsx"
        raise CaseError(
            f"{path}: not a case; a case is a folder of CSV or Parquet files with case.toml, "
            "or an .xlsx workbook"
        )
    if not path.is_dir():
        raise CaseError(f"{path}: not a file or folder")
    try:
        names = {p.name for p in path.iterdir()}
    except OSError as exc:
        raise CaseError(f"{path}: cannot list the folder ({exc.strerror})") from exc
    has = {fmt: any(f"{t}{ext}" in names for t in TABLES) for fmt, ext in EXTENSIONS.items()}
    if has["csv"] and has["parquet"]:
        raise CaseError(
            f"{path}: holds both CSV and Parquet tables; keep one format per case folder"
        )
    if has["parquet"]:
        return "parquet"
    if has["csv"] or "case.toml" in names:
        return "csv"
    raise CaseError(
        f"{path}: not a case; expected case.toml and table files such as plants.csv "
        f"({', '.join(TABLES)})"
    )


def read_case(path: str | Path) -> Case:
    """Read a case from a CSV folder, a Parquet folder or an .xlsx workbook."""
    path = Path(path)
    fmt = detect_format(path)
    if fmt == "xlsx":
        _check_workbook_size(path)
        try:
            raws, settings, lines, issues = read_workbook(path)
        except Exception as exc:  # a damaged workbook raises many kinds from inside openpyxl
            reason = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CaseError(
                f"{path}: cannot open the workbook; is it damaged, or not an Excel workbook? "
                f"({reason})"
            ) from exc
        settings_file = f"{path.name}[case]"
        if settings is None:
            issues.append(
                Issue(
                    "error",
                    "case",
                    None,
                    None,
                    "the workbook has no 'case' sheet (key and "
                    "value rows: name, currency, mass_unit, distance_unit, …)",
                    settings_file,
                    "missing-file",
                )
            )
    else:
        raws, issues = _read_folder(path, fmt)
        settings, lines, found = read_toml_settings(path / "case.toml")
        issues.extend(found)
        settings_file = "case.toml"
    meta, meta_issues = parse_meta(settings, lines, settings_file)
    return assemble(meta, raws, [*issues, *meta_issues], path, fmt)


def _check_workbook_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CaseError(f"{path}: cannot open the workbook ({exc.strerror or exc})") from exc
    limit = max_table_bytes()
    if size > limit:
        raise CaseError(
            f"{path}: the workbook is {megabytes(size)}; millnet reads files up to "
            f"{megabytes(limit)} (set MILLNET_MAX_TABLE_MB to change it, or use Parquet)"
        )


def _read_folder(path: Path, fmt: CaseFormat) -> tuple[dict[str, Any], list[Issue]]:
    ext = EXTENSIONS[fmt]
    reader = read_csv_table if fmt == "csv" else read_parquet_table
    raws: dict[str, RawTable | list[Issue]] = {}
    issues: list[Issue] = []
    present = {p.name: p for p in path.iterdir() if p.suffix.lower() == ext}
    for name in TABLES:
        file = present.get(f"{name}{ext}")
        if file is not None:
            raws[name] = reader(file, name)
    for file_name in sorted(present):
        stem = file_name[: -len(ext)]
        if stem not in TABLES:
            close = difflib.get_close_matches(stem, list(TABLES), n=1, cutoff=0.75)
            if close:
                issues.append(
                    Issue(
                        "warning",
                        None,
                        None,
                        None,
                        f"'{file_name}' is not a case table and "
                        f"was ignored; did you mean '{close[0]}{ext}'?",
                        file_name,
                        "unknown-table",
                    )
                )
    return raws, issues


def parse_meta(
    settings: dict[str, Any] | None, lines: dict[str, int], file: str
) -> tuple[CaseMeta | None, list[Issue]]:
    """Validate the settings; each problem names its key (and line or sheet row)."""
    if settings is None:
        return None, []
    try:
        return CaseMeta(**settings), []
    except PydanticError as exc:
        issues = []
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else None
            if error["type"] == "missing":
                message = f"'{key}' is missing; {_meta_help(key)}"
            elif error["type"] == "extra_forbidden":
                message = f"unknown setting '{key}'; expected {', '.join(CaseMeta.model_fields)}"
            else:
                found = settings.get(key) if key else None
                message = f"found {found!r}: {error['msg']}"
            issues.append(
                Issue("error", "case", lines.get(key or ""), key, message, file, "setting")
            )
        return None, issues


def _meta_help(key: str | None) -> str:
    field = CaseMeta.model_fields.get(key or "")
    if field is None or not field.description:
        return "it is required"
    return f"expected: {field.description}"


def assemble(
    meta: CaseMeta | None,
    raws: dict[str, RawTable | list[Issue]],
    issues: list[Issue],
    path: Path | None,
    fmt: CaseFormat | None,
) -> Case:
    """Coerce every raw table and build the Case, collecting every issue on the way."""
    tables: dict[str, pl.DataFrame] = {}
    sources: dict[str, TableSource] = {}
    all_issues = list(issues)
    for name, table in TABLES.items():
        raw = raws.get(name)
        expected_file = _expected_file(name, path, fmt)
        if raw is None or isinstance(raw, list):
            if raw:
                all_issues.extend(raw)
            elif table.required:
                all_issues.append(
                    Issue(
                        "error",
                        name,
                        None,
                        None,
                        f"table '{name}' is missing: {table.description}",
                        expected_file,
                        "missing-table",
                    )
                )
            tables[name] = table.empty_frame()
            sources[name] = TableSource(file=expected_file)
            continue
        frame, found = coerce_table(raw, table)
        all_issues.extend(raw.issues)
        all_issues.extend(found)
        tables[name] = frame
        sources[name] = TableSource(file=raw.file, rows=raw.rows)
    return Case(
        meta=meta,
        tables=tables,
        source_path=path,
        source_format=fmt,
        sources=sources,
        read_issues=tuple(all_issues),
    )


def _expected_file(name: str, path: Path | None, fmt: CaseFormat | None) -> str:
    if fmt == "xlsx" and path is not None:
        return f"{path.name}[{name}]"
    return f"{name}{EXTENSIONS.get(fmt or 'csv', '.csv')}"
