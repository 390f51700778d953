"""What learning tells the features layered above it, which it may not import (certificates)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

course_completed = _signals.signal("course-completed")
"""Sent once per completion, when a learner's course has just become complete.

The sender is the SQLAlchemy session of the transaction that recorded it, with the keyword
arguments ``user`` and ``course``. Receivers run inside that transaction: they may add and
flush, never commit, and what they write is undone with it.

Receivers (connected by each one's ``init_app``, which the app factory calls):

- ``lms.certificates.issuing._on_course_completed``: issues every certificate the
  completion made due.
"""

quizzes_out_of_attempts = _signals.signal("quizzes-out-of-attempts")
"""Sent to ask which quizzes a learner may no longer attempt, whenever learning works out
their progress: a quiz's attempts are the quizzes feature's, which learning may not read.

The sender is the SQLAlchemy session, with the keyword arguments ``user`` and ``courses``
(the courses asked about). Each receiver returns a mapping of course id to the outline keys
(``final.quiz``) of that course's quizzes the learner failed as often as allowed.

Receivers (connected by each one's ``init_app``, which the app factory calls):

- ``lms.quizzes.limits._on_out_of_attempts_asked``.
"""
