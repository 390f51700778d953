"""The cohorts' blueprint, which every module of ``lms.cohorts.views`` adds its pages to."""

from __future__ import annotations

from flask import Blueprint

from lms.accounts.access import STAFF_ROLES, restrict
from lms.cohorts import wording
from lms.pagination import page_numbers

blueprint = Blueprint("cohorts", __name__, url_prefix="/staff", template_folder="../templates")
restrict(blueprint, STAFF_ROLES)
# App-wide, as the other staff and admin blueprints' pages use them too.
for function in (
    page_numbers,
    wording.problem_text,
    wording.column_name,
    wording.status_label,
    wording.sector_label,
):
    blueprint.add_app_template_global(function)
