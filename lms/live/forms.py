"""Live sessions' forms: a session scheduled or changed, cancelled, its recording; attendance
ticked or imported."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FileField,
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)

# WTForms 3.3 deprecates (value, label) tuples; types-WTForms does not know SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)
from wtforms.widgets import CheckboxInput, ListWidget

from lms.forms import (
    ChoiceRadioField,
    ChoiceSelectField,
    DayField,
    Form,
    OneShotForm,
    WholeNumberField,
    reason_field,
    strip,
)
from lms.live.feeds import ADDRESS_VERSION
from lms.live.models import PLACE_LENGTH, SLUG_LENGTH, TITLE_LENGTH, URL_LENGTH, SessionLanguage
from lms.live.services import SessionDetails
from lms.live.times import DEFAULT_ZONE, ZONES, TimeDoesNotExist, to_utc

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""The content files' id rule (``lms.content.yamlnodes.IDENTIFIER``): definitions name it."""
MAX_TAGS = 10
DESCRIPTION_LENGTH = 5_000
MAX_CAPACITY = 10_000
MAX_CAPTIONS_BYTES = 1024 * 1024
"""Captions of a three-hour recording take a few hundred kilobytes."""
MAX_REPORT_BYTES = 4 * 1024 * 1024

LANGUAGE_LABELS = {
    SessionLanguage.FR: _l("French"),
    SessionLanguage.EN: _l("English"),
    SessionLanguage.BILINGUAL: _l("French and English"),
}


class ClockField(TimeField):
    """A time of day typed or picked as HH:MM, with our own message when it is not one."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Enter a time such as 13:30."))) from None


def _https(form: Form, field: URLField) -> None:
    value = field.data or ""
    if value and not value.startswith("https://"):
        raise StopValidation(_l("Give an address that starts with https://."))
    if any(c.isspace() for c in value):
        raise StopValidation(_l("An address has no spaces."))


def _url_field(label: str) -> URLField:
    return URLField(
        label,
        filters=[strip],
        validators=[
            Optional(),
            Length(max=URL_LENGTH, message=_l("At most %(max)d characters.")),
            _https,
        ],
    )


def _text(label: str, missing: str, max_length: int = TITLE_LENGTH) -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[
            InputRequired(missing),
            Length(max=max_length, message=_l("At most %(max)d characters.")),
        ],
    )


def _description(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[strip],
        validators=[
            Optional(),
            Length(max=DESCRIPTION_LENGTH, message=_l("At most %(max)d characters.")),
        ],
    )


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed with commas or spaces between them, each once, in the order typed."""
    found: dict[str, None] = {}
    for tag in re.split(r"[,\s]+", text.strip().lower()):
        if tag:
            found[tag] = None
    return tuple(found)


class EditSessionForm(Form):
    title_fr = _text(_l("Title in French"), _l("Give the title in French."))
    title_en = _text(_l("Title in English"), _l("Give the title in English."))
    description_fr = _description(_l("Description in French"))
    description_en = _description(_l("Description in English"))
    day = DayField(
        _l("Day"),
        validators=[InputRequired(_l("Give the session’s day."))],
        render_kw={"type": "date"},
    )
    start_time = ClockField(
        _l("Starts at"), validators=[InputRequired(_l("Give the time it starts."))]
    )
    end_day = DayField(
        _l("Day it ends"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )
    end_time = ClockField(_l("Ends at"), validators=[InputRequired(_l("Give the time it ends."))])
    time_zone = ChoiceSelectField(
        _l("Time zone"),
        message=_l("Choose a time zone from the list."),
        choices=[SelectChoice(zone, zone.replace("_", " ")) for zone in ZONES],
        default=DEFAULT_ZONE,
    )
    language = ChoiceRadioField(
        _l("Language of the session"),
        message=_l("Choose the session’s language."),
        choices=[SelectChoice(lang.value, label) for lang, label in LANGUAGE_LABELS.items()],
        default=SessionLanguage.FR.value,
    )
    capacity = WholeNumberField(
        _l("Seats"),
        validators=[
            InputRequired(_l("Give the number of seats.")),
            NumberRange(min=1, max=MAX_CAPACITY, message=_l("From 1 to %(max)s seats.")),
        ],
    )
    video_url = _url_field(_l("Video call link"))
    place = StringField(
        _l("Place"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=PLACE_LENGTH, message=_l("At most %(max)d characters.")),
        ],
    )
    course_id = ChoiceSelectField(
        _l("Linked course"), message=_l("Choose a course from the list, or none.")
    )
    certificate_id = ChoiceSelectField(
        _l("Program it belongs to"), message=_l("Choose a program from the list, or none.")
    )
    tags = StringField(_l("Tags"), filters=[strip], validators=[Optional()])
    submit = SubmitField(_l("Save the session"))

    def set_links(self, courses: list[tuple[str, str]], programs: list[tuple[str, str]]) -> None:
        self.course_id.choices = [SelectChoice(v, label) for v, label in courses]
        self.certificate_id.choices = [SelectChoice(v, label) for v, label in programs]

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid = super().validate(extra_validators)
        # Here, not on a field: each is optional alone, which stops its own validators.
        if valid and not self.place.data and not self.video_url.data:
            self.place.errors = [str(_l("Give the video call link, the place, or both."))]
            return False
        return valid

    def validate_end_day(self, field: DayField) -> None:
        if field.data is not None and self.day.data is not None and field.data < self.day.data:
            raise StopValidation(_l("The session cannot end before the day it starts."))
        if field.data is not None and (field.data - (self.day.data or field.data)).days > 31:
            raise StopValidation(_l("A session lasts a month at most."))

    def validate_end_time(self, field: ClockField) -> None:
        start: time | None = self.start_time.data
        day: date | None = self.day.data
        end_day: date | None = self.end_day.data or day
        if field.data is None or start is None or day is None or end_day is None:
            return
        if datetime.combine(end_day, field.data) <= datetime.combine(day, start):
            raise StopValidation(_l("The session must end after it starts."))

    def validate_tags(self, field: StringField) -> None:
        tags = parse_tags(field.data or "")
        if len(tags) > MAX_TAGS:
            raise StopValidation(_l("At most %(num)d tags.", num=MAX_TAGS))
        bad = [t for t in tags if not SLUG.match(t) or len(t) > SLUG_LENGTH]
        if bad:
            raise StopValidation(
                _l(
                    "“%(tag)s” is not a tag: use lowercase letters, digits and single hyphens.",
                    tag=bad[0][:40],
                )
            )

    def times(self) -> tuple[datetime, datetime] | None:
        """The start and end in UTC; None, with the error on its field, for a time the clocks
        skip (the form validated)."""
        zone = self.time_zone.data or DEFAULT_ZONE
        day, start, end = self.day.data, self.start_time.data, self.end_time.data
        if day is None or start is None or end is None:  # not once the form validated
            return None
        found: list[datetime] = []
        for field, on, clock in (
            (self.start_time, day, start),
            (self.end_time, self.end_day.data or day, end),
        ):
            try:
                found.append(to_utc(on, clock, zone))
            except TimeDoesNotExist:
                field.errors = [
                    str(_l("This time does not exist on that day in this zone: the clocks change."))
                ]
        return (found[0], found[1]) if len(found) == 2 else None

    def details(self, starts_at: datetime, ends_at: datetime) -> SessionDetails:
        return SessionDetails(
            title_fr=self.title_fr.data or "",
            title_en=self.title_en.data or "",
            description_fr=self.description_fr.data or "",
            description_en=self.description_en.data or "",
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=self.time_zone.data or DEFAULT_ZONE,
            language=SessionLanguage(self.language.data),
            capacity=int(self.capacity.data or 1),
            video_url=self.video_url.data or None,
            place=self.place.data or None,
            course_id=self.course_id.data or None,
            certificate_id=self.certificate_id.data or None,
            tags=parse_tags(self.tags.data or ""),
        )


class NewSessionForm(EditSessionForm):
    slug = StringField(
        _l("Session id"),
        filters=[strip],
        validators=[
            InputRequired(_l("Give the session an id.")),
            Length(max=SLUG_LENGTH, message=_l("At most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Schedule the session"))

    def validate_slug(self, field: StringField) -> None:
        if not SLUG.match(field.data or ""):
            raise StopValidation(
                _l("Use lowercase letters, digits and single hyphens, such as frq-webinar-2026-10.")
            )


class CancelSessionForm(OneShotForm):
    reason = reason_field(
        _l("Reason, given to registrants"), _l("Give the reason: registrants are told it.")
    )
    submit = SubmitField(_l("Cancel the session"))


class TickedField(SelectMultipleField):
    """Checkboxes of which none, some or all may be ticked; anything but a listed id is
    refused with one clear message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Tick people of the list only."))) from None

    def pre_validate(self, form: Any) -> None:
        listed = {choice[0] for choice in self.iter_choices()}
        if any(value not in listed for value in self.data or ()):
            raise StopValidation(_l("Tick people of the list only."))


class AttendanceForm(Form):
    """Who was there, ticked among the session's registrants."""

    present = TickedField(_l("Present"), coerce=int)
    shown = HiddenField()
    """The ids shown present when the page was made: a box left as it was keeps what was
    recorded since (a report imported in another tab)."""
    submit = SubmitField(_l("Save the attendance"))

    def set_people(self, choices: list[tuple[int, str]]) -> None:
        self.present.choices = [SelectChoice(value, label) for value, label in choices]

    def set_shown(self, present: Collection[int]) -> None:
        self.shown.data = " ".join(str(user_id) for user_id in sorted(present))

    def shown_present(self) -> set[int] | None:
        """The ids shown present; None when the field is not the page's (then every box
        counts as it is)."""
        parts = (self.shown.data or "").split()
        if not all(part.isdigit() and len(part) <= 10 for part in parts):
            return None
        return {int(part) for part in parts}


class ImportAttendanceForm(Form):
    report = FileField(_l("Attendance report (CSV from Zoom or Microsoft Teams)"))
    minimum_minutes = WholeNumberField(
        _l("Minutes attended to count as present"),
        validators=[
            InputRequired(_l("Give the minutes that count as present.")),
            NumberRange(min=0, max=24 * 60, message=_l("From 0 to %(max)s minutes.")),
        ],
    )
    submit = SubmitField(_l("Check and import"))


class RecordingForm(Form):
    recording_url = _url_field(_l("Recording link"))
    captions = FileField(_l("Captions (WebVTT file, .vtt)"))
    remove_captions = BooleanField(_l("Remove the captions given before"))
    submit = SubmitField(_l("Save the recording"))


class RenewFeedForm(Form):
    """A new address for the feed, naming the one the page showed (so posted twice, once)."""

    shown = HiddenField(validators=[InputRequired(), Regexp(ADDRESS_VERSION)])
