"""Quizzes' form pieces for the staff pages above them: the attempts a grant adds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, NumberRange

from lms.forms import WholeNumberField
from lms.quizzes.grants import MAX_EXTRA


def extra_attempts_field(label: str) -> WholeNumberField:
    """How many attempts a grant adds: a whole number from 1 to ``MAX_EXTRA``, 1 at first."""
    return WholeNumberField(
        label,
        default=1,
        validators=[
            InputRequired(_l("Give a whole number of attempts.")),
            NumberRange(min=1, max=MAX_EXTRA, message=_l("Give from %(min)d to %(max)d attempts.")),
        ],
    )
