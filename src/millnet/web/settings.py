"""What one ``millnet serve`` process is allowed to do, decided once at start-up."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from millnet.errors import UsageError

#: Environment variable read when ``--token`` is not given.
TOKEN_ENV = "MILLNET_TOKEN"

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and any address in 127.0.0.0/8 or ``::1``."""
    name = host.strip().lower().strip("[]")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebSettings:
    """Settings of the web app. Limits are per upload; they bound memory and disk, not trust."""

    workspace: Path
    host: str = "127.0.0.1"
    port: int = 8000
    #: Run store URL; default: a SQLite file in the workspace.
    store_url: str | None = None
    #: When set, every request must carry it (bearer header or the cookie set by ``/?token=``).
    token: str | None = None
    #: Bytes of one uploaded file (zip or workbook).
    max_upload_bytes: int = 50 * 2**20
    #: Bytes of all members of an archive once uncompressed.
    max_uncompressed_bytes: int = 500 * 2**20
    #: Uncompressed over compressed size of any one member: real CSV compresses ~5-20×.
    max_ratio: float = 200.0
    #: Files in one archive (a case has at most a few dozen).
    max_members: int = 200
    #: Rows of all tables of one uploaded case together.
    max_rows: int = 5_000_000
    #: Solve jobs that may run at once (each may use a core or more).
    solve_workers: int = 1
    #: Dask workers of a sweep started from the web app.
    sweep_workers: int = 2
    #: Extra host names the Host header may carry (besides the bound host and loopback names).
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "workspace", Path(self.workspace).resolve())
        if self.token is not None and not self.token.strip():
            object.__setattr__(self, "token", None)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def resolved_store_url(self) -> str:
        if self.store_url:
            return self.store_url
        return f"sqlite:///{self.workspace / 'runs.db'}"

    def check(self) -> WebSettings:
        """Refuse to serve beyond this machine without a token."""
        if not self.loopback and not self.token:
            raise UsageError(
                f"--host {self.host} is reachable from other machines; give --token (or set "
                f"{TOKEN_ENV}) so that every request must carry it, or bind to 127.0.0.1"
            )
        if self.token is not None and len(self.token) < 12:
            raise UsageError(
                "--token: use at least 12 characters (e.g. from `openssl rand -hex 16`)"
            )
        if not 0 < self.port < 65536:
            raise UsageError(f"--port {self.port}: expected a port between 1 and 65535")
        return self

    def host_allowed(self, host_header: str) -> bool:
        """Guard against DNS rebinding: a page of another site that resolves its own name to
        this machine reaches the app with that name in the Host header."""
        if not host_header:
            return False
        name = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
        if host_header.startswith("[") and "]:" in host_header:
            name = host_header.split("]:", 1)[0] + "]"
        name = name.lower()
        if is_loopback(name) or name in {h.lower() for h in self.allowed_hosts}:
            return True
        if not self.loopback and self.token:
            # Reachable by name or address from elsewhere; the token is what protects it.
            return True
        return name == self.host.lower()


def token_from_env(token: str | None) -> str | None:
    return token if token else (os.environ.get(TOKEN_ENV) or None)
