"""Administration's forms: roles, revoking a certificate, the audit trail's filters."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField

# WTForms 3.3 deprecates (value, label) tuples; types-WTForms does not know SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import InputRequired, Length

from lms.admin.pages import ROLE_LABELS
from lms.forms import PeriodForm, strip


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    submit = SubmitField(_l("Change the role"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        filters=[strip],
        validators=[
            InputRequired(_l("Give the reason: it is shown on the verification page.")),
            Length(max=1000, message=_l("A reason has at most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Revoke the certificate"))


class AuditFilterForm(PeriodForm):
    actor = StringField(_l("Done by (email contains)"), filters=[strip])
    action = SelectField(_l("Action"), default="")

    def set_actions(self, labels: Mapping[str, str]) -> None:
        self.action.choices = [SelectChoice("", _l("Any action"))] + [
            SelectChoice(value, label) for value, label in labels.items()
        ]
