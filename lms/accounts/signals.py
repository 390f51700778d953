"""What accounts tell the features layered above them, which they may not import."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

email_confirmed = _signals.signal("email-confirmed")
"""Sent when a person's address has just been proven: a confirmation link opened, or a
reset or invitation link (which came by mail) used to choose a password.

The sender is the SQLAlchemy session of the transaction that records it, with the keyword
argument ``user``. Receivers run inside that transaction: they may add and flush, never
commit, and what they write is undone with it.

Receivers (connected by each one's ``init_app``, which the app factory calls):

- ``lms.certificates.issuing._on_email_confirmed``: issues the certificates that waited
  for a confirmed address.
"""

second_factor_changed = _signals.signal("second-factor-changed")
"""Sent when a person's second factor is turned on or off, a recovery code is used, or the
codes are renewed. The sender is the session of the transaction that records it, with the
keyword arguments ``user`` and ``change`` (``lms.accounts.second_factor.Change``).

Receivers: ``lms.audit.services._on_second_factor_changed`` keeps it in the audit trail.
"""
