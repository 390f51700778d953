"""Cohorts' forms: a cohort made or changed, a roster upload or one person added, a member's
due date or removal, attempts granted, the CSV download's convention."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, FileField, SelectField, StringField, SubmitField, TextAreaField

# WTForms 3.3 deprecates (value, label) tuples; types-WTForms does not know SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    Optional,
    Regexp,
    StopValidation,
)

from lms.accounts.categories import FrqSector
from lms.accounts.forms import FRQ_SECTOR_LABELS
from lms.cohorts.exports import CsvDialect
from lms.cohorts.roster import EMAIL_PATTERN, MAX_FILE_BYTES, MAX_LENGTHS, Column, RosterRow
from lms.forms import CheckboxesField, DayField, Form, OneShotForm, reason_field, strip
from lms.quizzes.forms import extra_attempts_field
from lms.quizzes.grants import REASON_MAX_LENGTH

MAX_ROSTER_BYTES = MAX_FILE_BYTES
"""A roster of twenty thousand lines fits in well under this."""


class CohortForm(Form):
    name = StringField(
        _l("Name"),
        filters=[strip],
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


class EditCohortForm(CohortForm):
    submit = SubmitField(_l("Save the changes"))


def _text(label: str, column: Column, missing: str | None = None) -> StringField:
    required = [InputRequired(missing)] if missing else [Optional()]
    return StringField(
        label,
        filters=[strip],
        validators=[
            *required,
            Length(max=MAX_LENGTHS[column], message=_l("At most %(max)d characters.")),
        ],
    )


class AddMemberForm(Form):
    """One roster line typed in: the same columns, the same rules as a file's."""

    email = EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter the person’s email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Regexp(EMAIL_PATTERN, message=_l("Enter an email address such as name@example.org.")),
        ],
    )
    first_name = _text(_l("First name"), Column.FIRST_NAME, _l("Enter the first name."))
    last_name = _text(_l("Last name"), Column.LAST_NAME, _l("Enter the last name."))
    sector = SelectField(
        _l("FRQ sector"),
        choices=[SelectChoice(s.value, label) for s, label in FRQ_SECTOR_LABELS.items()],
    )
    fellowship_number = _text(_l("Fellowship number"), Column.FELLOWSHIP_NUMBER)
    notes = TextAreaField(
        _l("Notes"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=MAX_LENGTHS[Column.NOTES], message=_l("At most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Add to the cohort"))

    def row(self) -> RosterRow:
        """What was typed as a roster line (the form validated)."""
        return RosterRow(
            line=0,
            email=(self.email.data or "").lower(),
            first_name=self.first_name.data or "",
            last_name=self.last_name.data or "",
            sector=FrqSector(self.sector.data),
            fellowship_number=self.fellowship_number.data or None,
            notes=self.notes.data or None,
        )


class RemoveMemberForm(OneShotForm):
    reason = reason_field(_l("Reason"), _l("Give the reason: it is kept in the audit trail."))
    submit = SubmitField(_l("Remove from the cohort"))


class MemberDueDateForm(OneShotForm):
    due_date = DayField(_l("Own due date"), validators=[Optional()], render_kw={"type": "date"})
    reason = reason_field(_l("Reason"), _l("Give the reason: it is kept in the audit trail."))
    submit = SubmitField(_l("Save the due date"))


class GrantBlockedForm(OneShotForm):
    """More attempts for members out of them, chosen among the cohort's blocked members."""

    members = CheckboxesField(_l("Members"), message=_l("Choose at least one member."), coerce=int)
    extra = extra_attempts_field(_l("Attempts to add at each quiz"))
    reason = reason_field(
        _l("Reason"), _l("Give the reason: it is kept in the audit trail."), REASON_MAX_LENGTH
    )
    submit = SubmitField(_l("Grant the attempts"))

    def set_members(self, choices: list[tuple[int, str]]) -> None:
        self.members.choices = [SelectChoice(value, label) for value, label in choices]


class RosterForm(Form):
    roster = FileField(_l("Roster file (CSV or XLSX)"))
    submit = SubmitField(_l("Check and import"))


CSV_DIALECT_LABELS = {
    CsvDialect.FR: _l("CSV for Excel in French (semicolons)"),
    CsvDialect.EN: _l("CSV for Excel in English (commas)"),
}


class ExportForm(Form):
    """The CSV download's convention, read from its link; absent, the interface language's."""

    class Meta:
        csrf = False  # A GET that changes nothing: its links must work when shared.

    dialect = SelectField(
        _l("Spreadsheet convention"),
        choices=[SelectChoice(d.value, label) for d, label in CSV_DIALECT_LABELS.items()],
        validate_choice=False,
        validators=[
            Optional(),
            # Never shown: the view answers a bad value with UnknownCsvDialect's page.
            AnyOf([d.value for d in CsvDialect]),
        ],
    )

    def chosen_dialect(self, language: str) -> CsvDialect:
        """The convention asked for (the form validated), else ``language``'s."""
        data = self.dialect.data
        return CsvDialect(data) if data else CsvDialect.for_language(language)
