"""The workspace folder: uploaded cases, saved scenarios, job records and (by default) the run
store. Names a user sends (case ids, scenario names, run ids) are looked up here, never used as
paths, so no request can open a file outside the workspace or the shipped example cases.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import millnet
from millnet.case import Case, example_names, example_path, read_case
from millnet.errors import MillnetError

CaseKind = Literal["example", "reference", "upload"]

#: Ids of cases and scenarios: lower-case words joined by ``-``, ``_`` or ``.``.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


class NotFoundError(MillnetError):
    """A case, scenario, job or run that does not exist: HTTP 404."""


def slug(text: str, fallback: str = "case") -> str:
    """``Mini Network (v2)`` → ``mini-network-v2``."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:60].strip("-") or fallback


def check_id(value: str, what: str) -> str:
    if not ID_PATTERN.match(value or "") or ".." in value:
        raise NotFoundError(
            f"{what} '{value}' is not a valid id; ids are lower-case letters, digits, '-', '_' "
            "and '.' (at most 80)"
        )
    return value


def reference_root() -> Path | None:
    """``cases/`` of a source checkout (the reference cases live there, not in the wheel)."""
    for candidate in (Path(millnet.__file__).resolve().parents[2] / "cases", Path.cwd() / "cases"):
        if candidate.is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class CaseEntry:
    id: str
    name: str
    kind: CaseKind
    path: Path
    description: str = ""
    uploaded_at: str | None = None
    filename: str | None = None
    fingerprint: str | None = None

    def to_json(self) -> dict[str, object]:
        document = asdict(self)
        document.pop("path")
        return document


def _write_json(path: Path, document: object) -> None:
    """Write atomically: a reader never sees half a file, even if the process dies."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(document, indent=2, default=str), encoding="utf-8")
    tmp.replace(path)


class Workspace:
    """Folders under one root; created on first use."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        for folder in (self.cases_dir, self.scenarios_dir, self.jobs_dir, self.tmp_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self._cache: OrderedDict[tuple[str, float], Case] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def scenarios_dir(self) -> Path:
        return self.root / "scenarios"

    @property
    def jobs_dir(self) -> Path:
        return self.root / "jobs"

    @property
    def tmp_dir(self) -> Path:
        return self.root / "tmp"

    # cases ------------------------------------------------------------------------------

    def cases(self) -> list[CaseEntry]:
        entries = [
            CaseEntry(id=name, name=name, kind="example", path=example_path(name))
            for name in example_names()
        ]
        root = reference_root()
        if root is not None:
            known = {e.id for e in entries}
            for folder in sorted(root.iterdir()):
                if (
                    (folder / "case.toml").is_file()
                    and ID_PATTERN.match(folder.name)
                    and folder.name not in known
                ):
                    entries.append(
                        CaseEntry(id=folder.name, name=folder.name, kind="reference", path=folder)
                    )
        uploads = []
        for meta in self.cases_dir.glob("*/upload.json"):
            try:
                document = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            uploads.append(
                CaseEntry(
                    id=meta.parent.name,
                    name=str(document.get("name", meta.parent.name)),
                    kind="upload",
                    path=meta.parent / str(document.get("data", "case")),
                    description=str(document.get("description", "")),
                    uploaded_at=document.get("uploaded_at"),
                    filename=document.get("filename"),
                    fingerprint=document.get("fingerprint"),
                )
            )
        uploads.sort(key=lambda e: e.uploaded_at or "", reverse=True)
        return [*entries, *uploads]

    def case_entry(self, case_id: str) -> CaseEntry:
        check_id(case_id, "case")
        for entry in self.cases():
            if entry.id == case_id:
                return entry
        known = ", ".join(e.id for e in self.cases())
        raise NotFoundError(f"no case '{case_id}'; known cases: {known}")

    def read(self, case_id: str) -> Case:
        """The case, read once and kept while its files are unchanged (a few cases at most)."""
        entry = self.case_entry(case_id)
        try:
            stamp = entry.path.stat().st_mtime
        except OSError as exc:
            raise NotFoundError(f"case '{case_id}': its files are gone ({exc.strerror})") from exc
        key = (str(entry.path), stamp)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        case = read_case(entry.path)
        with self._lock:
            self._cache[key] = case
            while len(self._cache) > 4:
                self._cache.popitem(last=False)
        return case

    def new_upload_dir(self, name: str, fingerprint: str) -> tuple[str, Path]:
        case_id = f"{slug(name)}-{fingerprint[:8]}"
        return case_id, self.cases_dir / case_id

    def record_upload(self, folder: Path, document: dict[str, object]) -> None:
        _write_json(folder / "upload.json", {**document, "uploaded_at": _now()})

    def delete_case(self, case_id: str) -> None:
        entry = self.case_entry(case_id)
        if entry.kind != "upload":
            raise MillnetError(f"case '{case_id}' ships with millnet and cannot be deleted")
        import shutil

        shutil.rmtree(self.cases_dir / case_id)

    # scenarios --------------------------------------------------------------------------

    def scenario_files(self, case_id: str) -> dict[str, Path]:
        """Scenario files for a case by name: shipped ones beside the case, then saved ones."""
        entry = self.case_entry(case_id)
        found: dict[str, Path] = {}
        shipped = entry.path / "scenarios" if entry.path.is_dir() else None
        if shipped is not None and shipped.is_dir():
            for path in sorted(shipped.glob("*.yaml")):
                found[path.stem] = path
        saved = self.scenarios_dir / case_id
        if saved.is_dir():
            for path in sorted(saved.glob("*.yaml")):
                found[path.stem] = path
        return found

    def scenario_path(self, case_id: str, name: str) -> Path:
        check_id(name, "scenario")
        files = self.scenario_files(case_id)
        if name not in files:
            known = ", ".join(files) or "none yet"
            raise NotFoundError(f"case '{case_id}' has no scenario '{name}'; known: {known}")
        return files[name]

    def saved_scenario_path(self, case_id: str, name: str) -> Path:
        """Where a scenario saved from the editor goes (inside the workspace)."""
        self.case_entry(case_id)
        check_id(name, "scenario")
        folder = self.scenarios_dir / case_id
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{name}.yaml"

    def sweep_files(self, case_id: str) -> dict[str, Path]:
        entry = self.case_entry(case_id)
        folder = entry.path / "sweeps" if entry.path.is_dir() else None
        if folder is None or not folder.is_dir():
            return {}
        return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
