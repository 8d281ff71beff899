"""Fixtures of the web tests: an app on a fresh workspace, a client, zips of cases, and runs
saved straight into the app's store (so most tests need no solver process)."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from millnet.case import example_path, load_example
from millnet.web import WebSettings, create_app
from millnet.web.jobs import Job, JobRunner, Work

with warnings.catch_warnings():
    # Starlette's test client warns about its own httpx transport; that is its business.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "http://127.0.0.1"
REPO = Path(__file__).resolve().parents[2]


def _zip_folder(folder: Path, prefix: str = "") -> bytes:
    """The case files of ``folder`` in a zip, under ``prefix`` (a folder name) if given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.suffix in (".csv", ".toml"):
                archive.write(path, f"{prefix}{path.name}")
    return buffer.getvalue()


def _zip_members(members: dict[str, bytes], *, symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (0o120777 << 16) & 0xFFFF0000
            archive.writestr(info, data)
    return buffer.getvalue()


class HeldRunner(JobRunner):
    """Records jobs as queued and never starts them: for tests of everything around a job."""

    def submit(self, job: Job, work: Work, *, in_process: bool) -> Job:
        self.book.add(job)
        return job


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """``make_client(**settings)``: a client of a new app on ``tmp_path/workspace``."""
    clients: list[Any] = []

    def make(*, held: bool = False, **overrides: Any) -> TestClient:
        settings = WebSettings(workspace=tmp_path / "workspace", **overrides)
        app = create_app(settings)
        if held:
            services = app.state.services
            object.__setattr__(services, "runner", HeldRunner(services.jobs))
        client = TestClient(app, base_url=BASE)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(held=True)


@pytest.fixture(scope="session")
def mini_results():
    from millnet.plan import solve_case

    return solve_case(load_example("mini"))


@pytest.fixture
def saved_runs(client: TestClient, mini_results) -> list[str]:
    """Two runs of mini in the client's store: the plan, and the same plan as scenario
    ``again`` of sweep ``s1`` (a second copy makes compare and sweep pages testable)."""
    import dataclasses

    from millnet.store import Store

    store = Store(client.app.state.services.settings.resolved_store_url)
    first = store.save(mini_results)
    second = store.save(dataclasses.replace(mini_results, scenario="again"), sweep="s1")
    store.close()
    return [first, second]


@pytest.fixture
def mini_zip() -> bytes:
    return _zip_folder(example_path("mini"), "mini/")


@pytest.fixture
def zip_folder() -> Callable[..., bytes]:
    """``zip_folder(folder, prefix="")``: the case files of a folder as zip bytes."""
    return _zip_folder


@pytest.fixture
def zip_members() -> Callable[..., bytes]:
    """``zip_members({name: bytes}, symlinks=(names,))``: a zip with exactly these members."""
    return _zip_members
