"""Administration's forms: roles, certificates, overrides of a learner's progress, the audit
trail's filters."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField, TextAreaField

# WTForms 3.3 deprecates (value, label) tuples; types-WTForms does not know SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from lms.admin.pages import ROLE_LABELS
from lms.forms import OneShotForm, PeriodForm, WholeNumberField, strip
from lms.quizzes.grants import MAX_EXTRA, REASON_MAX_LENGTH


def reason_field(label: str, missing: str, max_length: int = 1000) -> TextAreaField:
    """The reason staff give for a one-shot action: required, stripped, bounded."""
    return TextAreaField(
        label,
        filters=[strip],
        validators=[
            DataRequired(missing),
            Length(max=max_length, message=_l("A reason has at most %(max)d characters.")),
        ],
    )


class RoleForm(OneShotForm):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    submit = SubmitField(_l("Change the role"))


class RevokeForm(OneShotForm):
    reason = reason_field(
        _l("Reason for revoking"), _l("Give the reason: it is shown on the verification page.")
    )
    submit = SubmitField(_l("Revoke the certificate"))


class ReissueForm(OneShotForm):
    reason = reason_field(
        _l("Reason for reissuing"), _l("Give the reason: the learner reads it in the mail.")
    )
    submit = SubmitField(_l("Reissue the certificate"))


class AuditFilterForm(PeriodForm):
    actor = StringField(_l("Done by (email contains)"), filters=[strip])
    person = StringField(_l("About the person (email contains)"), filters=[strip])
    action = SelectField(_l("Action"), default="")

    def set_actions(self, labels: Mapping[str, str]) -> None:
        self.action.choices = [SelectChoice("", _l("Any action"))] + [
            SelectChoice(value, label) for value, label in labels.items()
        ]


class GrantAttemptsForm(OneShotForm):
    extra = WholeNumberField(
        _l("Attempts to add"),
        default=1,
        validators=[
            InputRequired(_l("Give a whole number of attempts.")),
            NumberRange(min=1, max=MAX_EXTRA, message=_l("Give from %(min)d to %(max)d attempts.")),
        ],
    )
    reason = reason_field(
        _l("Reason"), _l("Give the reason: it is kept in the audit trail."), REASON_MAX_LENGTH
    )
    submit = SubmitField(_l("Grant the attempts"))


class ResetProgressForm(OneShotForm):
    reason = reason_field(_l("Reason"), _l("Give the reason: it is kept in the audit trail."))
    submit = SubmitField(_l("Reset the progress"))


class MarkDoneForm(OneShotForm):
    """A step staff record as done for a learner (done on paper, or a fault of ours)."""

    item = SelectField(_l("Step"), validate_choice=True)
    reason = reason_field(_l("Reason"), _l("Give the reason: it is kept in the audit trail."))
    submit = SubmitField(_l("Mark as done"))

    def set_steps(self, steps: Mapping[str, str]) -> None:
        self.item.choices = [SelectChoice(key, title) for key, title in steps.items()]
