"""Accounts' forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    PasswordField,
    StringField,
    SubmitField,
)

# WTForms 3.3 deprecates (value, label) tuples; types-WTForms does not know SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import (
    AnyOf,
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Regexp,
    StopValidation,
)

from lms.accounts.categories import Affiliation, FrqSector, ResearchRole
from lms.accounts.models import AFFILIATION_OTHER_LENGTH, CERTIFICATE_NAME_LENGTH
from lms.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    PasswordProblem,
    password_problem,
)
from lms.accounts.services import Profile
from lms.content import SUPPORTED_LANGUAGES
from lms.forms import CheckboxesField, ChoiceRadioField, ChoiceSelectField, Form, strip
from lms.i18n import LANGUAGE_NAMES

EMAIL_PATTERN = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z"
)
"""The HTML standard's rule for type=email (with a dot in the domain): ASCII only, so that any
SMTP server takes it, and no comments or brackets that would send the mail elsewhere. The
confirmation mail is what proves that an address works."""

RESEARCH_ROLE_LABELS = {
    ResearchRole.PATIENT: _l("Patient, caregiver or citizen"),
    ResearchRole.RESEARCHER: _l("Researcher"),
    ResearchRole.TRAINEE: _l("Trainee: graduate student, clinical or postdoctoral fellow"),
    ResearchRole.CLINICIAN: _l("Clinician or health and social services professional"),
    ResearchRole.DECISION_MAKER: _l("Health care administrator or policy maker"),
    ResearchRole.ACADEMIC_LEADER: _l("Academic leader"),
}

AFFILIATION_LABELS = {
    Affiliation.UNIVERSITY: _l("University"),
    Affiliation.HEALTH_ESTABLISHMENT: _l("Health establishment or research centre"),
    Affiliation.SPOR_ENTITY: _l("Entity funded by SPOR"),
    Affiliation.OTHER: _l("Other"),
}

FRQ_SECTOR_LABELS = {
    FrqSector.HEALTH: _l("Health"),
    FrqSector.SOCIETY_CULTURE: _l("Society and culture"),
    FrqSector.NATURE_TECHNOLOGIES: _l("Nature and technologies"),
}

YES, NO = "yes", "no"


def _options(labels: Mapping[Any, str]) -> list[Any]:
    return [SelectChoice(str(value), label) for value, label in labels.items()]


class PasswordPolicy:
    """The password policy as a field validator: not common, not the person's email or name.

    The person is named by the form's ``email`` and ``certificate_name`` fields where it has
    them, else by ``form.person`` (email, name), which a view sets for a signed-in user or the
    owner of a reset link.
    """

    def __call__(self, form: Any, field: Field) -> None:
        email, name = getattr(form, "person", (None, None))
        if "email" in form:
            email = form["email"].data or email
        if "certificate_name" in form:
            name = form["certificate_name"].data or name
        problem = password_problem(field.data or "", email=email, name=name)
        if problem is PasswordProblem.TOO_COMMON:
            raise StopValidation(
                _l(
                    "This password is among the most common ones, which are guessed first. "
                    "Choose another: a few unrelated words make a strong password that is "
                    "easy to remember."
                )
            )
        if problem is PasswordProblem.PERSONAL:
            raise StopValidation(_l("A password must not be your email address or your name."))


def _password_field(label: str, autocomplete: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(_l("Enter a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                # WTForms puts in the numbers.
                message=_l(
                    "Your password must have at least %(min)d characters (and at most %(max)d)."
                ),
            ),
            PasswordPolicy(),
        ],
        render_kw={"autocomplete": autocomplete},
    )


def _confirm_password_field(label: str, other: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(_l("Enter the password a second time.")),
            EqualTo(other, _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter your email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Regexp(EMAIL_PATTERN, message=_l("Enter an email address such as name@example.org.")),
        ],
        render_kw={"autocomplete": "email"},
    )


class _NewCredentialsForm(Form):
    # Declared before ProfileForm so that WTForms, which orders fields by creation, lists
    # them first, as the sign-up page shows them (the error summary follows that order).
    email = _email_field()
    password = _password_field(_l("Password"), "new-password")
    confirm_password = _confirm_password_field(_l("Password, again"), "password")


class ProfileForm(Form):
    """The profile of the membership form; sign-up adds the account's own fields."""

    certificate_name = StringField(
        _l("Your name as it should appear on certificates"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your name as it should appear on certificates.")),
            Length(
                max=CERTIFICATE_NAME_LENGTH,
                message=_l("A name has at most %(max)d characters."),
            ),
        ],
        render_kw={"autocomplete": "name"},
    )
    language = ChoiceRadioField(
        _l("Preferred language"),
        message=_l("Choose your preferred language."),
        choices=_options({code: LANGUAGE_NAMES[code] for code in SUPPORTED_LANGUAGES}),
    )
    research_roles = CheckboxesField(
        _l("Your role(s) in research with and for patients"),
        message=_l("Choose at least one role from the list."),
        choices=_options(RESEARCH_ROLE_LABELS),
    )
    affiliation = ChoiceRadioField(
        _l("Your affiliation"),
        message=_l("Choose your affiliation."),
        choices=_options(AFFILIATION_LABELS),
    )
    affiliation_other = StringField(
        _l("If other, which one?"),
        filters=[strip],
        validators=[
            Length(
                max=AFFILIATION_OTHER_LENGTH,
                message=_l("An affiliation has at most %(max)d characters."),
            )
        ],
    )
    frq_fellowship = ChoiceRadioField(
        _l("Do you hold a fellowship from the Fonds de recherche du Québec (FRQ)?"),
        message=_l("Say whether you hold an FRQ fellowship."),
        choices=_options({YES: _l("Yes"), NO: _l("No")}),
    )
    frq_sector = ChoiceSelectField(
        _l("Sector of your FRQ fellowship"),
        message=_l("Choose the sector of your FRQ fellowship."),
        choices=_options({"": _l("Choose a sector"), **FRQ_SECTOR_LABELS}),
    )

    def validate_affiliation_other(self, field: Field) -> None:
        if self.affiliation.data == Affiliation.OTHER and not field.data:
            raise StopValidation(_l("Name your affiliation, since you chose “Other”."))

    def validate_frq_sector(self, field: Field) -> None:
        if self.frq_fellowship.data == YES and not field.data:
            raise StopValidation(_l("Choose the sector of your FRQ fellowship."))

    def fill_from(self, profile: Profile) -> None:
        """Show ``profile`` in the fields (for a GET of the profile page)."""
        self.certificate_name.data = profile.certificate_name
        self.language.data = profile.language
        self.research_roles.data = [r.value for r in profile.research_roles]
        self.affiliation.data = profile.affiliation.value if profile.affiliation else None
        self.affiliation_other.data = profile.affiliation_other or ""
        if profile.frq_fellowship is not None:
            self.frq_fellowship.data = YES if profile.frq_fellowship else NO
        self.frq_sector.data = profile.frq_sector.value if profile.frq_sector else ""

    def to_profile(self) -> Profile:
        """The validated answers; the "other" text and the sector only where they apply."""
        affiliation = Affiliation(self.affiliation.data)
        fellow = self.frq_fellowship.data == YES
        return Profile(
            certificate_name=self.certificate_name.data or "",
            language=self.language.data or "",
            research_roles=frozenset(ResearchRole(r) for r in self.research_roles.data or ()),
            affiliation=affiliation,
            affiliation_other=(
                self.affiliation_other.data or None if affiliation is Affiliation.OTHER else None
            ),
            frq_fellowship=fellow,
            frq_sector=FrqSector(self.frq_sector.data) if fellow else None,
        )


class SignUpForm(_NewCredentialsForm, ProfileForm):
    privacy_consent = BooleanField(
        _l("I have read the privacy notice and I agree that my information is used as it says."),
        validators=[DataRequired(_l("You must agree to the privacy notice to create an account."))],
    )
    submit = SubmitField(_l("Create my account"))


class AcceptInvitationForm(ProfileForm):
    """The sign-up form without the email address, which the invitation already proves."""

    # The sign-up form's own fields, with its rules and messages. The stubs type a form
    # class's field as the unbound field it is until the form is made: cast to the bound type.
    password = cast("PasswordField", SignUpForm.password)
    confirm_password = cast("PasswordField", SignUpForm.confirm_password)
    person: tuple[str | None, str | None] = (None, None)
    """The invited (email, name), for the password policy."""
    privacy_consent = cast("BooleanField", SignUpForm.privacy_consent)
    submit = SubmitField(_l("Create my account"))


class ProfileEditForm(ProfileForm):
    submit = SubmitField(_l("Save my profile"))


class ChangePasswordForm(Form):
    person: tuple[str | None, str | None] = (None, None)
    """The (email, name) of the account, for ``PasswordPolicy``."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[
            InputRequired(_l("Enter your current password.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _password_field(_l("New password"), "new-password")
    confirm_password = _confirm_password_field(_l("New password, again"), "new_password")
    submit = SubmitField(_l("Change my password"))


class ResetRequestForm(Form):
    email = _email_field()
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(Form):
    person: tuple[str | None, str | None] = (None, None)
    """The (email, name) of the account, for ``PasswordPolicy``."""

    password = _password_field(_l("New password"), "new-password")
    confirm_password = _confirm_password_field(_l("New password, again"), "password")
    submit = SubmitField(_l("Save my new password"))


class ResendConfirmationForm(Form):
    """No fields: a POST with a CSRF token, from the signed-in user's page."""

    submit = SubmitField(_l("Send the confirmation link again"))


class SignInForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[InputRequired(_l("Enter your email address.")), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(_l("Enter your password.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class SignOutForm(Form):
    """No fields: a POST with a CSRF token, so that a link on another site cannot sign you out."""

    submit = SubmitField(_l("Sign out"))


class LanguageForm(Form):
    language = HiddenField(validators=[AnyOf(SUPPORTED_LANGUAGES)])
    next = HiddenField()


def _code_field(label: Any) -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[InputRequired(_l("Enter the code.")), Length(max=32)],
        # Recovery codes have letters: no numeric keypad, but the phone's one-time code offer.
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"},
    )


class SecondFactorCodeForm(Form):
    """The second step of a sign-in: a code from the app, or a recovery code."""

    code = _code_field(_l("Code"))
    remember_device = BooleanField(_l("Do not ask again on this device for 30 days"))
    submit = SubmitField(_l("Continue"))


class SecondFactorSetUpForm(Form):
    code = _code_field(_l("The code your app shows"))
    submit = SubmitField(_l("Turn on two-step verification"))


def _current_password_field() -> PasswordField:
    return PasswordField(
        _l("Your password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class SecondFactorOffForm(Form):
    """On the page of ``RecoveryCodesForm``: prefixed, so that their fields' ids differ."""

    password = _current_password_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="off", **kwargs)

    submit = SubmitField(_l("Turn off two-step verification"))


class RecoveryCodesForm(Form):
    password = _current_password_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="codes", **kwargs)

    submit = SubmitField(_l("Make new recovery codes"))
