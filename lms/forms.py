"""Form pieces every feature uses: the base form, whitespace stripping, days, whole numbers,
periods, confirmations, one-shot actions."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    StopValidation,
)
from wtforms.widgets import CheckboxInput, ListWidget

from lms.guards import has_control_character


class Form(FlaskForm):
    """The base of every form of the site: text with a control character (a NUL, say) is
    refused beside its field, before any validator or the database sees it."""

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        refused = [
            field
            for field in self
            if any(isinstance(v, str) and has_control_character(v) for v in field.raw_data or ())
        ]
        for field in refused:
            field.errors = [str(_l("This text holds a character that cannot be kept: remove it."))]
        if refused:
            return False
        return super().validate(extra_validators)


def strip(value: Any) -> Any:
    """A field filter: text without the spaces around it."""
    return value.strip() if isinstance(value, str) else value


class DayField(DateField):
    """A date typed or picked as YYYY-MM-DD, with our own message when it is not one."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Enter a date such as 2026-09-30."))) from None


class WholeNumberField(IntegerField):
    """A whole number, with our own message when what was typed is not one."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Enter a whole number, such as 2."))) from None


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


class ConfirmForm(Form):
    """No fields: a POST with a CSRF token (send reminders, reissue, resend an invitation)."""

    submit = SubmitField(_l("Confirm"))


def new_action_key() -> str:
    """A fresh key for a one-shot form: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


class OneShotForm(Form):
    """A form for an action that must happen once however often it is posted.

    Each time the form is shown it carries a new key; the view claims it with
    ``lms.audit.services.claim_action`` in the action's transaction and acts only when the
    claim succeeds. Render ``form.action_key`` beside the CSRF token.
    """

    # A missing key is refused (InputRequired reads what was posted): without the
    # check a POST lacking it would get a fresh default and act again.
    action_key = HiddenField(
        default=new_action_key,
        validators=[InputRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")],
    )

    @property
    def key(self) -> str:
        """The key posted, to claim once the form is valid."""
        return self.action_key.data or ""


ALREADY_DONE = _l("This was done already: nothing more happened.")
"""What a one-shot form posted a second time says."""

_Answer = TypeVar("_Answer")


def already_done(back: _Answer) -> _Answer:
    """The answer to a one-shot form posted again: ``back`` (a redirect to the page), with a
    note that nothing more happened."""
    flash(str(ALREADY_DONE), "info")
    return back


class ConfirmActionForm(OneShotForm):
    """No fields but the key: a POST that must act once (send reminders, reset progress)."""

    submit = SubmitField(_l("Confirm"))


class PeriodForm(Form):
    """From and to dates (both optional, both included), read from a GET's arguments."""

    class Meta:
        csrf = False  # A GET that changes nothing: its links must work when shared.

    start = DayField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    end = DayField(_l("To"), validators=[Optional()], render_kw={"type": "date"})

    def validate_end(self, field: DayField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise StopValidation(_l("The end of the period comes before its start."))


# Choice fields with one clear message for a missing or unknown choice (WTForms' own says
# "Not a valid choice", in English only).


def _choice_values(field: SelectField) -> set[str]:
    return {str(choice[0]) for choice in field.iter_choices()}


class ChoiceRadioField(RadioField):
    """Radio buttons with one clear message for a missing or unknown choice."""

    def __init__(self, label: str, *, message: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.message = message

    def pre_validate(self, form: Any) -> None:
        valid = _choice_values(self)
        if self.data is None or str(self.data) not in valid:
            raise StopValidation(self.message)


class ChoiceSelectField(SelectField):
    """A select whose first option is an empty "choose" prompt; unknown values are refused."""

    def __init__(self, label: str, *, message: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.message = message

    def pre_validate(self, form: Any) -> None:
        valid = _choice_values(self)
        if str(self.data or "") not in valid:
            raise StopValidation(self.message)


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes, rendered in a fieldset; at least one must be ticked."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, *, message: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.message = message

    def pre_validate(self, form: Any) -> None:
        valid = _choice_values(self)
        if not self.data or any(str(value) not in valid for value in self.data):
            raise StopValidation(self.message)
