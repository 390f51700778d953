"""Loaded content as JSON and back, so that it outlives the process that read it.

Driven by the dataclasses' type hints: a field added to the model needs nothing here.
Paths are written relative to the course folder, so a snapshot does not depend on where
the content root lies. Decoding checks every type and raises ``SnapshotError`` on anything
unexpected: a snapshot is a cache, and a bad one must be ignored, never served.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import os
import types
import typing
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

T = typing.TypeVar("T")

FORMAT = 1
"""Changes when snapshots written before would be read wrongly."""


class SnapshotError(ValueError):
    """The data is not a snapshot of the type asked for."""


def encode(value: object, base: Path) -> Any:
    """``value`` (dataclasses, enums, paths, days, mappings, tuples and sets of them) as JSON
    data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name), base) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return Path(os.path.relpath(value, base)).as_posix()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): encode(v, base) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [encode(item, base) for item in value]
    if isinstance(value, frozenset | set):
        return sorted(encode(item, base) for item in value)
    return value


def decode(kind: type[T], data: object, base: Path) -> T:
    """The ``kind`` that ``encode`` wrote as ``data``; paths are read relative to ``base``."""
    try:
        found: T = _decode(kind, data, base)
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotError(f"not a {kind.__name__} snapshot: {error!r}") from error
    return found


def _decode(kind: Any, data: Any, base: Path) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        if data is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _decode(inner, data, base)
    if origin is tuple:
        items = _list(data)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item, base) for item in items)
        if len(items) != len(args):
            raise ValueError(f"{len(items)} items for {kind}")
        return tuple(_decode(a, item, base) for a, item in zip(args, items, strict=True))
    if origin is frozenset:
        return frozenset(_decode(args[0], item, base) for item in _list(data))
    if origin is Mapping or origin is typing.Mapping:
        if not isinstance(data, dict):
            raise TypeError(f"{type(data).__name__} for a mapping")
        return types.MappingProxyType(
            {_text(k): _decode(args[1], v, base) for k, v in data.items()}
        )
    if dataclasses.is_dataclass(kind):
        return _dataclass(kind, data, base)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(data)
    if kind is Path:
        return base / _text(data)
    if kind is date:
        return date.fromisoformat(_text(data))
    if kind in (str, int, bool) and type(data) is kind:
        return data
    raise TypeError(f"{type(data).__name__} for {kind}")


def _dataclass(kind: Any, data: Any, base: Path) -> Any:
    if not isinstance(data, dict):
        raise TypeError(f"{type(data).__name__} for {kind.__name__}")
    hints, values = _hints(kind), {}
    for field in dataclasses.fields(kind):
        if field.name in data:
            values[field.name] = _decode(hints[field.name], data[field.name], base)
    return kind(**values)  # a required field missing raises TypeError


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _list(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise TypeError(f"{type(data).__name__} for a list")
    return data


def _text(data: Any) -> str:
    if not isinstance(data, str):
        raise TypeError(f"{type(data).__name__} for a text")
    return data
