"""Privacy's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SubmitField
from wtforms.validators import InputRequired, Length

from lms.forms import Form


class ExportForm(Form):
    """No fields: a POST with a CSRF token, so that another site cannot trigger a download."""

    submit = SubmitField(_l("Download my data (JSON)"))


class DeleteAccountForm(Form):
    confirmation = PasswordField(
        _l("To confirm, type your email address or your password"),
        validators=[
            InputRequired(_l("Type your email address or your password to confirm.")),
            Length(max=1024),
        ],
        render_kw={"autocomplete": "off"},
    )
    remove_posts = BooleanField(_l("Also remove what I wrote in the communities"))
    submit = SubmitField(_l("Delete my account"))
