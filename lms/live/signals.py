"""What live sessions tell the features layered above them, which they may not import."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

attendance_recorded = _signals.signal("attendance-recorded")
"""Sent when learners were recorded as present at a session (ticked, or from a report).

The sender is the SQLAlchemy session of the transaction that recorded it, with the keyword
argument ``user_ids`` (those now present). Receivers run inside that transaction: they may
add and flush, never commit, and what they write is undone with it.

Receivers (connected by each one's ``init_app``, which the app factory calls):

- ``lms.certificates.issuing._on_attendance_recorded``: issues every certificate the
  attendance made due, as a completed course does.
"""
