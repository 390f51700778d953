"""Accounts' forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Length

from lms.content import SUPPORTED_LANGUAGES


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[InputRequired(_l("Enter your email address.")), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class SignOutForm(FlaskForm):
    """No fields: a POST with a CSRF token, so that a link on another site cannot sign you out."""

    submit = SubmitField(_l("Sign out"))


class LanguageForm(FlaskForm):
    language = HiddenField(validators=[AnyOf(SUPPORTED_LANGUAGES)])
    next = HiddenField()
