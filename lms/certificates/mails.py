"""The mails about a learner's certificates, each in the learner's language, with absolute links."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from lms.certificates.artifacts import verify_url
from lms.certificates.models import Certificate
from lms.content import Localized
from lms.i18n import language_or_default
from lms.mail import Mail, external_url, render_mail

if TYPE_CHECKING:
    from lms.accounts.models import User

TEMPLATES = "certificates/email"


def issued_mail(
    user: User, certificate: Certificate, *, reissued: bool = False, reason: str | None = None
) -> Mail:
    """Tells the learner a certificate is theirs: where to download it, how others check it;
    for a reissue, that it replaces the previous one, and why (``reason``, staff's words)."""
    language = language_or_default(user.language)
    title = Localized.of(certificate.title).get(language)
    subject = (
        _l("Your certificate was reissued: %(title)s", title=title)
        if reissued
        else _l("Your certificate: %(title)s", title=title)
    )
    return render_mail(
        f"{TEMPLATES}/issued",
        to=user.email,
        language=language,
        subject=subject,
        user=user,
        certificate=certificate,
        title=title,
        reissued=reissued,
        reason=reason,
        certificates_link=external_url("certificates.index"),
        verify_link=verify_url(certificate.code),
    )


def expiring_mail(user: User, certificate: Certificate) -> Mail:
    """Tells the learner a certificate expires soon, and how to renew it."""
    return _notice(
        "expiring",
        user,
        certificate,
        lambda title: _l("Your certificate expires soon: %(title)s", title=title),
    )


def revoked_mail(user: User, certificate: Certificate) -> Mail:
    """Tells the learner staff revoked a certificate of theirs, and the reason they gave."""
    return _notice(
        "revoked",
        user,
        certificate,
        lambda title: _l("Your certificate was revoked: %(title)s", title=title),
    )


def _notice(
    template: str, user: User, certificate: Certificate, subject: Callable[[str], str]
) -> Mail:
    """A mail about ``certificate`` in its holder's language, linking to their certificates;
    ``subject`` gets the certificate's title in that language."""
    language = language_or_default(user.language)
    title = Localized.of(certificate.title).get(language)
    return render_mail(
        f"{TEMPLATES}/{template}",
        to=user.email,
        language=language,
        subject=subject(title),
        user=user,
        certificate=certificate,
        title=title,
        certificates_link=external_url("certificates.index"),
    )
