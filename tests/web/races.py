"""Two requests made to overlap where a test wants them to: two tabs, one database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from flask import Flask, request_started
from werkzeug.test import TestResponse

from tests.support.databases import on_postgresql

WAIT_SECONDS = 30


class Race:
    """Where two requests, one on each app, meet: the first call each makes to a held
    function (a read, before the request writes).

    Both wait there for each other, so both have read before either writes: on PostgreSQL,
    and on SQLite when the requests ``read_first`` (pages, views marked
    ``reads_before_writing``). On SQLite any other request holds the write lock from its
    start, so the other cannot even read before the first commits: the first waits there
    only until the other has begun (and is waiting for the lock), and the test shows what
    the other then reads.
    """

    def __init__(self, apps: tuple[Flask, ...], *, read_first: bool = False) -> None:
        self.both_read_first = on_postgresql() or read_first
        self.barrier = threading.Barrier(len(apps))
        self.begun = threading.Event()
        self._apps = apps
        self._started: set[int] = set()
        self._lock = threading.Lock()

    def _note_start(self, sender: Flask, **_extra: Any) -> None:
        with self._lock:
            self._started.add(id(sender))
            if len(self._started) == len(self._apps):
                self.begun.set()

    def hold(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function``, but each worker thread's first call waits as the class says."""
        done = threading.local()

        def held(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            if threading.current_thread() is not threading.main_thread() and not getattr(
                done, "waited", False
            ):
                done.waited = True
                if self.both_read_first:
                    self.barrier.wait(timeout=WAIT_SECONDS)
                else:
                    assert self.begun.wait(timeout=WAIT_SECONDS), "the other request never began"
            return result

        return held

    @contextmanager
    def armed(self) -> Iterator[None]:
        for app in self._apps:
            request_started.connect(self._note_start, app)
        try:
            yield
        finally:
            for app in self._apps:
                request_started.disconnect(self._note_start, app)


def at_once(race: Race, *requests: Callable[[], TestResponse]) -> list[TestResponse]:
    """The requests' answers, the requests sent together, one thread each."""
    with race.armed(), ThreadPoolExecutor(len(requests)) as pool:
        futures = [pool.submit(request) for request in requests]
        return [future.result(timeout=60) for future in futures]
