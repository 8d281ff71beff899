"""Cases in the web app: upload (checked, read, validated), overview, issues."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

import polars as pl

from millnet.case import Case, read_case
from millnet.case.summary import summarize
from millnet.errors import CaseError, ValidationError
from millnet.validate import ValidationReport, validate
from millnet.web.settings import WebSettings
from millnet.web.uploads import (
    WORKBOOK_SUFFIXES,
    Limits,
    UploadError,
    check_workbook,
    extract_case,
    save_upload,
)
from millnet.web.workspace import CaseEntry, Workspace, slug


def limits(settings: WebSettings) -> Limits:
    return Limits(
        max_upload_bytes=settings.max_upload_bytes,
        max_uncompressed_bytes=settings.max_uncompressed_bytes,
        max_ratio=settings.max_ratio,
        max_members=settings.max_members,
    )


def _safe_filename(filename: str | None) -> str:
    name = Path((filename or "upload").replace("\\", "/")).name
    return "".join(c for c in name if c.isprintable())[:120] or "upload"


def _count_csv_rows(folder: Path, filename: str, limit: int) -> None:
    """Refuse before parsing when the CSV files hold more rows than allowed."""
    rows = 0
    for path in folder.glob("*.csv"):
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                rows += chunk.count(b"\n")
        if rows > limit:
            raise UploadError(
                f"{filename}: more than {limit:,} rows in its tables (at {path.name}); the web "
                "app accepts cases up to that size (use the command line for larger ones)",
                too_large=True,
            )


def upload_case(
    workspace: Workspace, settings: WebSettings, stream: BinaryIO, filename: str | None
) -> tuple[CaseEntry, ValidationReport]:
    """Store an uploaded zip (case folder) or workbook as a new case of the workspace.

    Raises :class:`UploadError` for a file refused before reading, :class:`CaseError` when it is
    not a case, and :class:`ValidationError` (with the report) when the case has errors; in
    those cases nothing is kept."""
    name = _safe_filename(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in (".zip", *WORKBOOK_SUFFIXES):
        raise UploadError(
            f"{name}: expected a .zip of a case folder (CSV or Parquet files with case.toml) "
            "or an .xlsx workbook"
        )
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=workspace.tmp_dir))
    try:
        raw = staging / f"upload{suffix}"
        save_upload(stream, raw, name, settings.max_upload_bytes)
        if suffix == ".zip":
            data = extract_case(raw, name, staging / "case", limits(settings))
            raw.unlink()
            _count_csv_rows(data, name, settings.max_rows)
        else:
            check_workbook(raw, name, limits(settings))
            data = staging / f"case{suffix}"
            raw.rename(data)
        case = _read(data, name)
        rows = sum(frame.height for frame in case.tables.values())
        if rows > settings.max_rows:
            raise UploadError(
                f"{name}: {rows:,} rows in its tables; the web app accepts cases up to "
                f"{settings.max_rows:,} rows (use the command line for larger ones)",
                too_large=True,
            )
        report = validate(case)
        if not report.ok:
            report.raise_for_errors()
        case_name = case.name if case.meta is not None else slug(Path(name).stem)
        case_id, folder = workspace.new_upload_dir(case_name, case.fingerprint)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        data.rename(folder / data.name)
        workspace.record_upload(
            folder,
            {
                "name": case_name,
                "description": case.meta.description if case.meta else "",
                "filename": name,
                "data": data.name,
                "fingerprint": case.fingerprint,
            },
        )
        return workspace.case_entry(case_id), report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read(path: Path, filename: str) -> Case:
    try:
        return read_case(path)
    except CaseError as exc:
        # The message names the staging path; the user knows the file they uploaded.
        message = exc.message.replace(str(path), filename)
        raise CaseError(message) from exc


def issues_json(report: ValidationReport) -> list[dict[str, object]]:
    return report.to_json()


def invalid_detail(exc: ValidationError) -> dict[str, object]:
    report = exc.report
    issues = report.to_json() if isinstance(report, ValidationReport) else []
    return {"detail": exc.message, "issues": issues}


def overview(case: Case) -> dict[str, object]:
    """What the case overview page shows: settings, counts, plants with coordinates, demand by
    segment and period, metal prices."""
    summary = summarize(case)
    plants = case["plants"].select(
        "id",
        "name",
        "country",
        "region",
        "lat",
        "lon",
        "initial_state",
        *(["role"] if "role" in case["plants"].columns else []),
    )
    customers = case["customers"]
    by_segment = (
        customers.group_by("segment").agg(pl.len().alias("customers")).sort("segment")
        if customers.height
        else pl.DataFrame(schema={"segment": pl.String, "customers": pl.UInt32})
    )
    return {
        **summary.to_json(),
        "plant_list": plants.to_dicts(),
        "customers_by_segment": by_segment.to_dicts(),
        "customer_points": customers.select("id", "name", "segment", "lat", "lon").to_dicts()
        if customers.height <= 5000
        else [],
    }


def choices(case: Case) -> dict[str, list[str]]:
    """Ids the scenario editor offers: segments, periods (planned first), plants, metals."""
    periods = case["periods"].sort("order")["id"].to_list()
    plan_from = case.meta.plan_from if case.meta else None
    planned = periods[periods.index(plan_from) :] if plan_from in periods else periods
    return {
        "segments": sorted(case["customers"]["segment"].drop_nulls().unique().to_list()),
        "channels": sorted(case["customers"]["channel"].drop_nulls().unique().to_list()),
        "periods": periods,
        "planned_periods": planned,
        "plants": case["plants"]["id"].to_list(),
        "metals": sorted(case["metal_prices"]["metal"].drop_nulls().unique().to_list()),
        "families": sorted(case["products"]["family"].drop_nulls().unique().to_list()),
    }
