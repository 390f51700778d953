"""Learning's pages: the course catalogue."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from lms.catalog import current_catalog
from lms.i18n import current_language
from lms.learning import services

blueprint = Blueprint("learning", __name__, template_folder="templates")


@blueprint.get("/")
def index() -> ResponseReturnValue:
    return redirect(url_for("learning.catalog"))


@blueprint.get("/courses")
def catalog() -> ResponseReturnValue:
    entries = services.catalog_entries(current_catalog(), current_language())
    return render_template("learning/catalog.html", entries=entries)
