"""Administration's forms: roles, certificates, overrides of a learner's progress, the audit
trail's filters."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField

# WTForms 3.3 deprecates (value, label) tuples; types-WTForms does not know SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from lms.admin.pages import ROLE_LABELS
from lms.forms import OneShotForm, PeriodForm, reason_field, strip
from lms.quizzes.forms import extra_attempts_field
from lms.quizzes.grants import REASON_MAX_LENGTH


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
    extra = extra_attempts_field(_l("Attempts to add"))
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
