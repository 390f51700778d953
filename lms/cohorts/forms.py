"""Cohorts' forms: a new cohort, a roster upload, the CSV download's convention."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FileField, SelectField, StringField, SubmitField

# WTForms 3.3 deprecates (value, label) tuples; types-WTForms does not know SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import AnyOf, InputRequired, Length, Optional, StopValidation

from lms.cohorts.exports import CsvDialect
from lms.forms import DayField, strip

MAX_ROSTER_BYTES = 5 * 1024 * 1024
"""A roster of twenty thousand lines fits in well under this."""


class CohortForm(FlaskForm):
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


class RosterForm(FlaskForm):
    roster = FileField(_l("Roster file (CSV or XLSX)"))
    submit = SubmitField(_l("Check and import"))


CSV_DIALECT_LABELS = {
    CsvDialect.FR: _l("CSV for Excel in French (semicolons)"),
    CsvDialect.EN: _l("CSV for Excel in English (commas)"),
}


class ExportForm(FlaskForm):
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
