"""Schemathesis against the app's own OpenAPI schema: whatever a client sends, the answer is
never a server error. Jobs are held (queued, never started), so no solver runs."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from millnet.web import WebSettings, create_app
from millnet.web.jobs import Job, JobRunner, Work

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's test client warns about its transport
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from starlette import testclient  # noqa: F401  (imported once here, quietly)


class HeldRunner(JobRunner):
    def submit(self, job: Job, work: Work, *, in_process: bool) -> Job:
        self.book.add(job)
        return job


WORKSPACE = Path(tempfile.mkdtemp(prefix="millnet-fuzz-"))
atexit.register(shutil.rmtree, WORKSPACE, ignore_errors=True)
APP = create_app(
    WebSettings(workspace=WORKSPACE, max_upload_bytes=2**20, allowed_hosts=("testserver",))
)
object.__setattr__(APP.state.services, "runner", HeldRunner(APP.state.services.jobs))

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_makes_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
