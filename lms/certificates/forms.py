"""Certificates' forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from lms.forms import Form


class RenewForm(Form):
    """No fields: a POST with a CSRF token, since renewing resets the learner's courses."""


class ClaimForm(Form):
    """No fields: asks for the certificates the learner has earned but not received."""


class VerifyForm(Form):
    """The code someone read on a certificate. A GET form: checking changes nothing."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[
            InputRequired(_l("Enter the code printed on the certificate.")),
            Length(max=64),
        ],
    )
