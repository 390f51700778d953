"""Real servers on loopback for tests and benchmarks: gunicorn running wsgi.py, redis-server,
and a small HTTP client that keeps cookies and reads CSRF tokens as a browser would."""

from __future__ import annotations

import http.client
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.support.apps import PROJECT

GUNICORN_CONFIG = PROJECT / "gunicorn.conf.py"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
READY_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def gunicorn_available() -> bool:
    return importlib.util.find_spec("gunicorn") is not None


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Client:
    """One browser: its cookies go with each request, to whichever server it is sent."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        base_url: str,
        method: str,
        path: str,
        form: Mapping[str, str | list[str]] | None = None,
    ) -> Response:
        parts = urlsplit(base_url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
        headers = {"Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            # The session cookie is Secure in production; loopback tests send it over HTTP.
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            text = response.read().decode("utf-8", "replace")
            return Response(response.status, dict(response.headers.items()), text)
        finally:
            connection.close()

    def get(self, base_url: str, path: str) -> Response:
        return self.request(base_url, "GET", path)

    def post(self, base_url: str, path: str, form: Mapping[str, str | list[str]]) -> Response:
        return self.request(base_url, "POST", path, form)

    def csrf_token(self, base_url: str, path: str) -> str:
        page = self.get(base_url, path)
        found = CSRF.search(page.body)
        assert found, f"no CSRF token on {path} ({page.status})"
        return found.group(1)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def worker_pids(server: Server) -> list[int]:
    """The pids of the server's workers: the processes whose parent is its gunicorn master."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue  # ended meanwhile
        parent = next(
            (line.split()[1] for line in text.splitlines() if line.startswith("PPid:")), ""
        )
        if parent == str(server.process.pid):
            found.append(int(status.parent.name))
    return sorted(found)


def wait_until_ready(server: Server, path: str = "/courses") -> None:
    """Poll ``path`` until it answers 200: bounded, so a server that cannot start fails."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {server.process.returncode}:\n{server.output()}"
            )
        try:
            if Client().get(server.url, path).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"gunicorn not ready after {READY_SECONDS} s:\n{server.output()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextmanager
def lms_worker(environ: Mapping[str, str]) -> Iterator[subprocess.Popen[str]]:
    """``lms worker`` running as in production, in its own process group; killed (SIGKILL,
    group and all) on leaving unless the test stopped it."""
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "lms"), "worker", "--workers", "1"],
        cwd=PROJECT,
        env=dict(environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield worker
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        for stream in (worker.stdout, worker.stderr):
            if stream is not None:
                stream.close()


@contextmanager
def gunicorn_servers(
    count: int, environ: Mapping[str, str], log_dir: Path, app: str = "wsgi:app"
) -> Iterator[list[Server]]:
    """``count`` gunicorn servers of ``app`` (production settings from ``environ``), ready."""
    servers: list[Server] = []
    try:
        for index in range(count):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            log = log_dir / f"gunicorn-{index}.log"
            env = {
                "PATH": os.environ.get("PATH", ""),
                "LMS_BASE_URL": url,
                **environ,
                "LMS_BIND": f"127.0.0.1:{port}",
            }
            with log.open("wb") as output:
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), app],
                    cwd=PROJECT,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            servers.append(Server(url, process, log))
        for server in servers:
            wait_until_ready(server)
        yield servers
    finally:
        for server in servers:
            stop(server.process)


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A redis-server of its own on a free loopback port, keeping nothing on disk."""
    binary = redis_server_binary()
    assert binary is not None
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
            time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)
