"""Staff's forms: cohorts, roster uploads, roles, certificate actions, invitations, filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

# WTForms 3.3 deprecates (value, label) tuples; types-WTForms does not know SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from lms.accounts.forms import ProfileForm, SignUpForm
from lms.accounts.models import Role

ROLE_LABELS = {
    Role.LEARNER: _l("Learner"),
    Role.STAFF: _l("Staff"),
    Role.ADMIN: _l("Administrator"),
}

MAX_ROSTER_BYTES = 5 * 1024 * 1024
"""A roster of twenty thousand lines fits in well under this."""


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class DayField(DateField):
    """A date typed or picked as YYYY-MM-DD, with our own message when it is not one."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Enter a date such as 2026-09-30."))) from None


class CohortForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Name the cohort.")),
            Length(max=200, message=_l("A name has at most %(max)d characters.")),
        ],
    )
    certificate_id = SelectField(_l("Certificate it works toward"))
    due_date = DayField(_l("Due date"), validators=[Optional()], render_kw={"type": "date"})
    submit = SubmitField(_l("Create the cohort"))

    def set_certificates(self, choices: list[tuple[str, str]]) -> None:
        self.certificate_id.choices = [SelectChoice(value, label) for value, label in choices]

    def validate_certificate_id(self, field: SelectField) -> None:
        if not field.data:
            raise StopValidation(_l("Choose the certificate the cohort works toward."))


class RosterForm(FlaskForm):
    roster = FileField(_l("Roster file (CSV or XLSX)"))
    submit = SubmitField(_l("Check and import"))


class ConfirmForm(FlaskForm):
    """No fields: a POST with a CSRF token (send reminders, reissue, resend an invitation)."""

    submit = SubmitField(_l("Confirm"))


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    submit = SubmitField(_l("Change the role"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Give the reason: it is shown on the verification page.")),
            Length(max=1000, message=_l("A reason has at most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Revoke the certificate"))


class PeriodForm(FlaskForm):
    """From and to dates (both optional, both included), read from a GET's arguments."""

    class Meta:
        csrf = False  # A GET that changes nothing: its links must work when shared.

    start = DayField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    end = DayField(_l("To"), validators=[Optional()], render_kw={"type": "date"})

    def validate_end(self, field: DayField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise StopValidation(_l("The end of the period comes before its start."))


class AuditFilterForm(PeriodForm):
    actor = StringField(_l("Done by (email contains)"), filters=[_strip])
    action = SelectField(_l("Action"), default="")

    def set_actions(self, labels: Mapping[str, str]) -> None:
        self.action.choices = [SelectChoice("", _l("Any action"))] + [
            SelectChoice(value, label) for value, label in labels.items()
        ]


class AcceptInvitationForm(ProfileForm):
    """The sign-up form without the email address, which the invitation already proves."""

    # The sign-up form's own fields, with its rules and messages. The stubs type a form
    # class's field as the unbound field it is until the form is made: cast to the bound type.
    password = cast("PasswordField", SignUpForm.password)
    confirm_password = cast("PasswordField", SignUpForm.confirm_password)
    person: tuple[str | None, str | None] = (None, None)
    """The invited (email, name), for the password policy."""
    privacy_consent = cast("BooleanField", SignUpForm.privacy_consent)
    accept = SubmitField(_l("Create my account"))
