# The part of Huey that Parcours uses (lms.jobs); Huey ships no type information.
import datetime
from collections.abc import Callable
from typing import Any, Generic, ParamSpec

_P = ParamSpec("_P")

class Result:
    def get(self, blocking: bool = ..., timeout: float | None = ...) -> Any: ...

class TaskWrapper(Generic[_P]):
    name: str
    func: Callable[_P, Any]
    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> Result | None: ...

def crontab(
    minute: str = ...,
    hour: str = ...,
    day: str = ...,
    month: str = ...,
    day_of_week: str = ...,
    strict: bool = ...,
) -> Callable[[datetime.datetime], bool]: ...

class Consumer:
    def run(self) -> None: ...
    def stop(self, graceful: bool = ...) -> None: ...

class Huey:
    name: str
    immediate: bool
    def __init__(self, name: str = ..., *, immediate: bool = ..., **kwargs: Any) -> None: ...
    def task(
        self, retries: int = ..., retry_delay: int = ..., name: str | None = ..., **kwargs: Any
    ) -> Callable[[Callable[_P, Any]], TaskWrapper[_P]]: ...
    def periodic_task(
        self,
        validate_datetime: Callable[[datetime.datetime], bool],
        name: str | None = ...,
        **kwargs: Any,
    ) -> Callable[[Callable[[], Any]], TaskWrapper[[]]]: ...
    def create_consumer(self, **options: Any) -> Consumer: ...
    def pending_count(self) -> int: ...

class MemoryHuey(Huey): ...

class SqliteHuey(Huey):
    def __init__(self, name: str = ..., *, filename: str = ..., **kwargs: Any) -> None: ...

class RedisHuey(Huey):
    def __init__(self, name: str = ..., *, url: str | None = ..., **kwargs: Any) -> None: ...
