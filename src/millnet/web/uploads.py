"""Uploaded case files, checked before anything parses them.

An upload is a zip of a case folder (CSV or Parquet files with ``case.toml``) or an Excel
workbook (itself a zip). Both are opened only after these checks, because a zip can name files
outside the folder it is unpacked into (``../``, absolute paths), carry symbolic links, or
expand a few kilobytes into gigabytes. Every refusal says which member and which limit.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from millnet.errors import CaseError, UsageError

CASE_SUFFIXES = (".csv", ".parquet", ".toml", ".md", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_CHUNK = 1 << 20


class UploadError(UsageError):
    """An upload refused before reading: HTTP 400 (or 413 when ``too_large``)."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int
    max_uncompressed_bytes: int
    max_ratio: float
    max_members: int


def _mb(size: float) -> str:
    if size < 2**20:
        return f"{size / 2**10:,.0f} KB"
    return f"{size / 2**20:,.1f} MB"


def check_member_name(filename: str, name: str) -> PurePosixPath:
    """The member's path inside the archive, refused when it could land outside it."""
    if "\x00" in name:
        raise UploadError(f"{filename}: member {name!r} has a NUL character in its name")
    posix = name.replace("\\", "/")
    path = PurePosixPath(posix)
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        raise UploadError(
            f"{filename}: member '{name}' has an absolute path; a case archive holds relative "
            "paths only"
        )
    if any(part == ".." for part in path.parts):
        raise UploadError(f"{filename}: member '{name}' points outside the archive ('..'); refused")
    return path


def check_archive(archive: zipfile.ZipFile, filename: str, limits: Limits) -> list[zipfile.ZipInfo]:
    """Every member checked for names, links, sizes and compression ratio; the file members."""
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise UploadError(
            f"{filename}: {len(infos):,} members; a case archive may hold at most "
            f"{limits.max_members:,}",
            too_large=True,
        )
    total = 0
    files = []
    for info in infos:
        check_member_name(filename, info.filename)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UploadError(
                f"{filename}: member '{info.filename}' is a symbolic link; links are refused"
            )
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise UploadError(f"{filename}: member '{info.filename}' is encrypted")
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            raise UploadError(
                f"{filename}: uncompresses to more than {_mb(limits.max_uncompressed_bytes)} "
                f"(at member '{info.filename}'); refused as a possible zip bomb",
                too_large=True,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _CHUNK and ratio > limits.max_ratio:
            raise UploadError(
                f"{filename}: member '{info.filename}' expands {ratio:,.0f}× "
                f"({_mb(info.compress_size)} → {_mb(info.file_size)}); at most "
                f"{limits.max_ratio:,.0f}× is accepted, refused as a possible zip bomb",
                too_large=True,
            )
        files.append(info)
    return files


def open_zip(path: Path, filename: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise UploadError(
            f"{filename}: not a readable zip archive ({exc}); upload a .zip of a case folder "
            "or an .xlsx workbook"
        ) from exc
    except (OSError, ValueError, EOFError) as exc:
        raise UploadError(f"{filename}: cannot open the archive ({exc})") from exc


def _case_root(members: list[PurePosixPath], filename: str) -> PurePosixPath:
    """The folder of the archive that holds the case: the one with case.toml or, failing that,
    the only folder holding table files."""
    tomls = [m.parent for m in members if m.name == "case.toml" and "__MACOSX" not in m.parts]
    if len(tomls) > 1:
        found = ", ".join(sorted(str(t) if str(t) != "." else "(top)" for t in tomls))
        raise CaseError(
            f"{filename}: holds {len(tomls)} cases (case.toml in {found}); upload one case per "
            "archive"
        )
    if tomls:
        return tomls[0]
    folders = {
        m.parent
        for m in members
        if m.suffix.lower() in (".csv", ".parquet") and "__MACOSX" not in m.parts
    }
    if len(folders) == 1:
        return folders.pop()
    raise CaseError(
        f"{filename}: no case found in the archive; expected case.toml and table files such as "
        "plants.csv in one folder"
    )


def extract_case(path: Path, filename: str, target: Path, limits: Limits) -> Path:
    """Unpack the case folder of the zip at ``path`` into ``target``; the folder to read.

    Sizes are counted while writing as well, since the sizes an archive declares can lie."""
    with open_zip(path, filename) as archive:
        infos = check_archive(archive, filename, limits)
        root = _case_root([PurePosixPath(i.filename.replace("\\", "/")) for i in infos], filename)
        target.mkdir(parents=True, exist_ok=True)
        written = 0
        for info in infos:
            member = PurePosixPath(info.filename.replace("\\", "/"))
            if member.parent != root or member.suffix.lower() not in CASE_SUFFIXES:
                continue
            out = target / member.name
            if out.resolve().parent != target.resolve():
                raise UploadError(f"{filename}: member '{info.filename}' has a bad name")
            try:
                with archive.open(info) as source, out.open("wb") as sink:
                    declared = info.file_size
                    seen = 0
                    while chunk := source.read(_CHUNK):
                        seen += len(chunk)
                        written += len(chunk)
                        if seen > declared or written > limits.max_uncompressed_bytes:
                            raise UploadError(
                                f"{filename}: member '{info.filename}' expands beyond its "
                                "declared size; refused as a possible zip bomb",
                                too_large=True,
                            )
                        sink.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise UploadError(
                    f"{filename}: cannot unpack member '{info.filename}' ({exc})"
                ) from exc
            except RuntimeError as exc:  # zipfile's word for encrypted or unsupported members
                raise UploadError(
                    f"{filename}: cannot unpack member '{info.filename}' ({exc})"
                ) from exc
    if not any(target.iterdir()):
        raise CaseError(f"{filename}: the case folder in the archive holds no case files")
    return target


def check_workbook(path: Path, filename: str, limits: Limits) -> None:
    """An .xlsx is a zip: the same bomb and name checks before openpyxl expands it."""
    with open_zip(path, filename) as archive:
        check_archive(archive, filename, limits)


def save_upload(stream, target: Path, filename: str, limit: int) -> int:
    """Copy an upload stream to ``target``, stopping as soon as it passes ``limit`` bytes."""
    size = 0
    with target.open("wb") as sink:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                sink.close()
                target.unlink(missing_ok=True)
                raise UploadError(
                    f"{filename}: larger than {_mb(limit)}; uploads are limited to {_mb(limit)}",
                    too_large=True,
                )
            sink.write(chunk)
    if size == 0:
        target.unlink(missing_ok=True)
        raise UploadError(f"{filename}: the file is empty")
    return size


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
