"""The mails about an account, each in its owner's language, with absolute links."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.accounts.tokens import MAX_AGE, Purpose
from lms.i18n import language_or_default
from lms.mail import Mail, external_url, render_mail

TEMPLATES = "accounts/email"


def _hours(purpose: Purpose) -> int:
    return int(MAX_AGE[purpose].total_seconds() // 3600)


def confirmation_mail(user: User, token: str) -> Mail:
    return render_mail(
        f"{TEMPLATES}/confirm_email",
        to=user.email,
        language=language_or_default(user.language),
        subject=_l("Confirm your email address for Parcours"),
        user=user,
        link=external_url("links.confirm_email", token=token),
        days=MAX_AGE[Purpose.CONFIRM_EMAIL].days,
    )


def account_exists_mail(user: User, reset_token: str) -> Mail:
    """To the owner of an address someone tried to sign up with: says so, and how to get in."""
    return render_mail(
        f"{TEMPLATES}/account_exists",
        to=user.email,
        language=language_or_default(user.language),
        subject=_l("You already have a Parcours account"),
        user=user,
        sign_in_link=external_url("accounts.sign_in"),
        reset_link=external_url("links.reset_password", token=reset_token),
        hours=_hours(Purpose.RESET_PASSWORD),
    )


def reset_password_mail(user: User, token: str) -> Mail:
    return render_mail(
        f"{TEMPLATES}/reset_password",
        to=user.email,
        language=language_or_default(user.language),
        subject=_l("Choose a new password for Parcours"),
        user=user,
        link=external_url("links.reset_password", token=token),
        hours=_hours(Purpose.RESET_PASSWORD),
    )


def password_changed_mail(user: User) -> Mail:
    """Tells the owner, so that a change they did not make does not go unnoticed."""
    return render_mail(
        f"{TEMPLATES}/password_changed",
        to=user.email,
        language=language_or_default(user.language),
        subject=_l("Your Parcours password was changed"),
        user=user,
        reset_request_link=external_url("links.request_reset"),
    )


def invitation_mail(*, to: str, language: str, name: str, cohort: str | None, token: str) -> Mail:
    """The link to set a password and confirm the profile of an account made by an import."""
    return render_mail(
        f"{TEMPLATES}/invitation",
        to=to,
        language=language,
        subject=_l("You are invited to the Parcours training"),
        name=name,
        cohort=cohort,
        link=external_url("links.accept_invitation", token=token),
        days=MAX_AGE[Purpose.ACCEPT_INVITATION].days,
    )
