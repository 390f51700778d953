"""What cohorts' pages show beyond their records: the roster import page's help."""

from __future__ import annotations

from lms.cohorts.roster import Column

ROSTER_COLUMN_LABELS = {
    Column.EMAIL: ("email", "courriel"),
    Column.FIRST_NAME: ("first name", "prénom"),
    Column.LAST_NAME: ("last name", "nom"),
    Column.SECTOR: ("sector", "secteur"),
    Column.FELLOWSHIP_NUMBER: ("fellowship number", "numéro de bourse"),
    Column.NOTES: ("notes", "remarques"),
}
"""Header names to show in the import page's help, in English and French."""
