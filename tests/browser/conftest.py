"""Browser-tier fixtures: the app served on loopback, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from lms.db import database
from tests.support.apps import build_app, compile_translations
from tests.support.databases import SERVER_VARIABLE, Databases

from .helpers import AXE_SCRIPT, LiveServer

CHROMIUM = os.environ.get("LMS_TEST_CHROMIUM", "/usr/bin/chromium")
# As root in CI, and with no network but loopback: no sandbox, no background connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing_tools() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not AXE_SCRIPT.exists():
        return "axe-core not installed (npm ci --prefix tests/browser)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _browser_tools() -> None:
    missing = _missing_tools()
    if missing and os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {missing}")
    if missing:
        pytest.skip(missing)
    compile_translations()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings from the developer's or CI's shell must not leak into the served app."""
    for name in list(os.environ):
        if name.startswith("LMS_") and name not in {"LMS_TEST_CHROMIUM", SERVER_VARIABLE}:
            monkeypatch.delenv(name)


class Serve(Protocol):
    def __call__(self, **overrides: Any) -> LiveServer: ...


def _serve(app_for: Callable[[str], Flask]) -> tuple[LiveServer, BaseWSGIServer, threading.Thread]:
    # The server is bound first, so that the app knows its own address: links in its mails
    # (LMS_BASE_URL) then open in the browser as they are.
    apps: list[Flask] = []

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return apps[0](environ, start_response)

    server: BaseWSGIServer = make_server("127.0.0.1", 0, wsgi, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    apps.append(app_for(url))
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    return LiveServer(apps[0], url), server, thread


@pytest.fixture
def serve(databases: Databases) -> Iterator[Serve]:
    """Start the app (``build_app``'s settings, plus ``overrides``) on a free loopback port."""
    running: list[tuple[LiveServer, BaseWSGIServer, threading.Thread]] = []

    def start(**overrides: Any) -> LiveServer:
        database_url = databases.url(f"browser{len(running)}")
        running.append(_serve(lambda url: build_app(database_url, base_url=url, **overrides)))
        return running[-1][0]

    yield start
    for live, server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        database(live.app).engine.dispose()


@pytest.fixture
def live_server(serve: Serve) -> LiveServer:
    """The app on the minimal fixture content, served by a real HTTP server in a thread."""
    return serve()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Chromium for the whole session; each test gets its own contexts (cookies)."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Pages in fresh browser contexts (own cookies), with the browser's language as asked."""
    contexts: list[BrowserContext] = []

    def open_page(
        locale: str = "fr-CA", width: int = 1280, height: int = 900, javascript: bool = True
    ) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale=locale,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()
