"""Communities' forms: a question asked, a reply, an edit, a report, moderators' actions, a
member's settings, and staff's definition of a community."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField

# WTForms 3.3 deprecates (value, label) tuples; types-WTForms does not know SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, StopValidation

from lms.communities.models import (
    BODY_LENGTH,
    DISPLAY_NAME_LENGTH,
    NAME_LENGTH,
    REASON_LENGTH,
    TITLE_LENGTH,
    Audience,
    MailMode,
)
from lms.content import SUPPORTED_LANGUAGES
from lms.forms import CheckboxesField, ChoiceRadioField, Form, OneShotForm, strip
from lms.i18n import LANGUAGE_NAMES

DESCRIPTION_LENGTH = 5_000
MODERATORS_LENGTH = 5_000
ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


def _body_field(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[strip],
        validators=[
            InputRequired(_l("Write your message.")),
            Length(max=BODY_LENGTH, message=_l("A message has at most %(max)d characters.")),
        ],
        render_kw={"rows": 8},
    )


def _language_field() -> SelectField:
    return ChoiceRadioField(
        _l("Language of your message"),
        message=_l("Choose the language of your message."),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in SUPPORTED_LANGUAGES],
    )


class ReplyForm(Form):
    body = _body_field(_l("Your reply"))
    language = _language_field()
    submit = SubmitField(_l("Send the reply"))


class AskForm(Form):
    title = StringField(
        _l("Your question, in a sentence"),
        filters=[strip],
        validators=[
            InputRequired(_l("Write your question in a sentence.")),
            Length(max=TITLE_LENGTH, message=_l("A title has at most %(max)d characters.")),
        ],
    )
    body = _body_field(_l("Details"))
    language = _language_field()
    submit = SubmitField(_l("Ask the question"))


class CourseAskForm(AskForm):
    """Asked in a course's discussion: about one of its lessons, or the course in general."""

    lesson = SelectField(_l("About"), validate_choice=False)

    def set_lessons(self, choices: list[tuple[str, str]]) -> None:
        self.lesson.choices = [SelectChoice(value, label) for value, label in choices]

    def validate_lesson(self, field: SelectField) -> None:
        if str(field.data or "") not in {value for value, _label, *_rest in field.iter_choices()}:
            raise StopValidation(_l("Choose a lesson of the course, or the course in general."))


class EditForm(Form):
    body = _body_field(_l("Your message"))
    submit = SubmitField(_l("Save the change"))


class ReportForm(Form):
    """Sent once per member and post (a unique row): a second send says so."""

    reason = TextAreaField(
        _l("What is wrong with it? (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=REASON_LENGTH, message=_l("A reason has at most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Report to the moderators"))


class HideForm(OneShotForm):
    reason = TextAreaField(
        _l("Reason, shown to the author"),
        filters=[strip],
        validators=[
            InputRequired(_l("Give the reason: its author will read it.")),
            Length(max=REASON_LENGTH, message=_l("A reason has at most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Hide the post"))


class RestoreForm(OneShotForm):
    submit = SubmitField(_l("Show the post again"))


class DismissForm(OneShotForm):
    submit = SubmitField(_l("Leave the post as it is"))


class StateForm(Form):
    """Follow or not, pinned or not, locked or not: the state asked for, posted again
    harmlessly."""

    state = HiddenField(validators=[InputRequired(), AnyOf(["on", "off"])])

    @property
    def on(self) -> bool:
        return self.state.data == "on"


MAIL_MODE_LABELS = {
    MailMode.IMMEDIATE: _l("Each new post, as it is written"),
    MailMode.DIGEST: _l("One mail a day with the new posts"),
    MailMode.OFF: _l("No mail"),
}


class SettingsForm(Form):
    display_name = StringField(
        _l("Name shown on your posts"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=DISPLAY_NAME_LENGTH, message=_l("A name has at most %(max)d characters.")),
        ],
    )
    mail_mode = ChoiceRadioField(
        _l("Mail about the discussions you follow"),
        message=_l("Choose how you get mail."),
        choices=[SelectChoice(mode.value, label) for mode, label in MAIL_MODE_LABELS.items()],
    )
    submit = SubmitField(_l("Save my settings"))

    def validate_display_name(self, field: StringField) -> None:
        if "@" in (field.data or ""):
            raise StopValidation(_l("Choose a name that is not an email address."))


AUDIENCE_LABELS = {
    Audience.EVERYONE: _l("Everyone signed in"),
    Audience.COHORTS: _l("The members of the cohorts chosen below"),
}


class OptionalCheckboxesField(CheckboxesField):
    """Checkboxes of which none may be ticked; unknown values are still refused."""

    def pre_validate(self, form: Any) -> None:
        if self.data:
            super().pre_validate(form)


def _text(label: str, missing: str | None, max_length: int, **kwargs: Any) -> StringField:
    required = [InputRequired(missing)] if missing else [Optional()]
    return StringField(
        label,
        filters=[strip],
        validators=[*required, Length(max=max_length, message=_l("At most %(max)d characters."))],
        **kwargs,
    )


class ModeratorsForm(Form):
    moderators = TextAreaField(
        _l("Moderators: the email addresses of their accounts, one a line"),
        filters=[strip],
        validators=[Optional(), Length(max=MODERATORS_LENGTH)],
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Save the changes"))

    def moderator_addresses(self) -> tuple[str, ...]:
        found = ADDRESS_SEPARATORS.split(self.moderators.data or "")
        return tuple(sorted({address.lower() for address in found if address}))


class AddModeratorForm(Form):
    """One person found by the search, made a moderator (adding them twice changes nothing)."""

    user_id = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9]{1,12}$")])
    submit = SubmitField(_l("Make them a moderator"))


class SpaceForm(ModeratorsForm):
    name_fr = _text(_l("Name in French"), _l("Name the community in French."), NAME_LENGTH)
    name_en = _text(_l("Name in English"), _l("Name the community in English."), NAME_LENGTH)
    description_fr = TextAreaField(
        _l("Description in French"),
        filters=[strip],
        validators=[Optional(), Length(max=DESCRIPTION_LENGTH)],
        render_kw={"rows": 4},
    )
    description_en = TextAreaField(
        _l("Description in English"),
        filters=[strip],
        validators=[Optional(), Length(max=DESCRIPTION_LENGTH)],
        render_kw={"rows": 4},
    )
    audience = ChoiceRadioField(
        _l("Open to"),
        message=_l("Choose who the community is open to."),
        choices=[SelectChoice(a.value, label) for a, label in AUDIENCE_LABELS.items()],
        default=Audience.EVERYONE.value,
    )
    cohorts = OptionalCheckboxesField(
        _l("Cohorts"), message=_l("Choose cohorts from the list."), coerce=int
    )
    submit = SubmitField(_l("Create the community"))

    def set_cohorts(self, choices: list[tuple[int, str]]) -> None:
        self.cohorts.choices = [SelectChoice(value, label) for value, label in choices]

    def validate_cohorts(self, field: OptionalCheckboxesField) -> None:
        if self.audience.data == Audience.COHORTS.value and not field.data:
            raise StopValidation(
                _l("Choose at least one cohort, or open the community to everyone.")
            )


class EditSpaceForm(SpaceForm):
    submit = SubmitField(_l("Save the changes"))
