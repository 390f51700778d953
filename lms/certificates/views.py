"""Certificates' pages: a learner's list and downloads, public verification, the issuer's keys."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from markupsafe import Markup
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from lms.accounts.access import signed_in_user
from lms.catalog import current_catalog, held_back_certificates
from lms.certificates import (
    artifacts,
    badges,
    issuing,
    pages,
    queries,
    renewal,
    services,
    status_lists,
)
from lms.certificates.codes import normalize_code
from lms.certificates.forms import ClaimForm, RenewForm, VerifyForm
from lms.certificates.keys import signing_key
from lms.config import current_settings
from lms.db import get_session, run_in_transaction
from lms.extensions import limiter
from lms.forms import ConfirmForm
from lms.i18n import current_language
from lms.mail import external_url
from lms.panels import render_panel

if TYPE_CHECKING:
    from lms.accounts.models import User

blueprint = Blueprint("certificates", __name__, template_folder="templates")

VERIFY_PER_IP = "30 per minute"
"""Code look-ups (page or JSON) per network address: plenty for people, slow for a robot
guessing codes, which 80 random bits make hopeless anyway."""

DOWNLOAD_MAX_AGE = 3600
"""The bytes never change; a short cache still lets a revocation be seen soon."""

JWKS_MAX_AGE = 3600


def dashboard_panel(user: User) -> Markup:
    """The learner's certificates, as the dashboard's panel (see ``lms.panels``)."""
    found = queries.certificates_of(get_session(), user)
    settings = current_settings()
    entries = pages.entries(
        found, current_language(), settings.certificate_renewal_days, settings.zone
    )
    return render_panel("certificates/_dashboard.html", certificates=entries)


def completed_course_panel(user: User, course_id: str) -> Markup:
    """What ``user``, who completed ``course_id``, is told of the certificates requiring it:
    theirs, ready, or what each still needs (see ``lms.panels``)."""
    catalog, language = current_catalog(), current_language()
    found = services.prospects(get_session(), user, catalog, course_id)
    return render_panel(
        "certificates/_completed_course.html",
        prospects=[pages.prospect_entry(p, catalog, language) for p in found],
    )


def profile_panel(user: User) -> Markup:
    """On ``user``'s profile: the certificates that print another name than the profile's,
    which keep it, and the way to ask staff for a reissue (see ``lms.panels``)."""
    found = services.names_out_of_date(queries.certificates_of(get_session(), user), user)
    if not found:
        return Markup()
    language = current_language()
    return render_panel(
        "certificates/_profile.html",
        certificates=[(c, pages.text_in(c.title, language)) for c in found],
        form=ConfirmForm(),
    )


@blueprint.post("/certificates/<code>/reissue-request")
@login_required
def request_reissue(code: str) -> ResponseReturnValue:
    """The holder asks staff to reissue a certificate in the name their profile gives now."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        run_in_transaction(
            lambda session: services.request_reissue(
                session, signed_in_user(), services.own_certificate(session, signed_in_user(), code)
            )
        )
    except (services.ReissueAlreadyRequested, services.ReissueNotNeeded) as error:
        flash(str(error.message), "info")
    else:
        flash(
            _("Your request is sent: the program’s team will reissue the certificate."), "success"
        )
    return redirect(url_for("accounts.profile"), 303)


@blueprint.app_template_global()
def held_back_certificates_banner() -> list[pages.HeldBack]:
    """What the staff pages' banner names: definitions production issues nothing from."""
    # Called by staff/base.html only, so learners' pages and mails never pay for it.
    return pages.held_back(held_back_certificates(), current_catalog(), current_language())


@blueprint.get("/certificates")
@login_required
def index() -> ResponseReturnValue:
    session, user, language = get_session(), signed_in_user(), current_language()
    held_back = held_back_certificates()
    due = issuing.due_definitions(session, user, current_catalog(), held_back=held_back)
    return render_template(
        "certificates/index.html",
        entries=pages.entries(
            queries.certificates_of(session, user),
            language,
            current_settings().certificate_renewal_days,
            current_settings().zone,
        ),
        due=[pages.text_in(d.title.values, language) for d in due],
        name_missing=not (user.certificate_name or "").strip(),
        email_unconfirmed=not user.email_confirmed,
        claim_form=ClaimForm(),
        renew_form=RenewForm(),
    )


@blueprint.post("/certificates/claim")
@login_required
def claim() -> ResponseReturnValue:
    """Issue the certificates the learner has earned but not received (e.g. no name then)."""
    if not ClaimForm().validate_on_submit():
        abort(400)
    catalog, held_back = current_catalog(), held_back_certificates()
    issued = run_in_transaction(
        lambda session: issuing.issue_due_certificates(
            session, signed_in_user(), catalog, held_back=held_back
        )
    )
    if issued:
        count = len(issued)
        flash(
            ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", count),
            "success",
        )
    elif not signed_in_user().email_confirmed:
        flash(_("Your certificates wait for your confirmed email address."), "info")
    else:
        flash(_("No certificate to issue: check that your profile has your name."), "info")
    return redirect(url_for(".index"), 303)


@blueprint.get("/certificates/<code>.pdf")
@login_required
def pdf(code: str) -> ResponseReturnValue:
    """A PDF of the learner's certificate as stored at issue: ``?lang=fr|en`` picks one."""
    session = get_session()
    certificate = services.own_certificate(session, signed_in_user(), code)
    document = services.pdf_of(session, certificate, request.args.get("lang"))
    return _download(
        document.content,
        "application/pdf",
        f"{certificate.code}-{document.language}.pdf",
        etag=document.sha256,
    )


@blueprint.get("/certificates/<code>/badge.jwt")
@login_required
def badge(code: str) -> ResponseReturnValue:
    """The learner's Open Badge: the signed credential (VC-JWT), for a wallet or a backpack."""
    certificate = services.own_certificate(get_session(), signed_in_user(), code)
    token = services.badge_of(certificate)
    return _download(
        token.encode("ascii"),
        "application/jwt",
        f"{certificate.code}-badge.jwt",
        etag=artifacts.sha256(token.encode("ascii")),
    )


@blueprint.get("/certificates/<code>/badge.png")
@login_required
def badge_image(code: str) -> ResponseReturnValue:
    """The Open Badge as an image, its credential baked in: what badge wallets import."""
    certificate = services.own_certificate(get_session(), signed_in_user(), code)
    png = services.badge_image_of(certificate, current_language())
    return _download(png, "image/png", f"{certificate.code}-badge.png", etag=artifacts.sha256(png))


def _download(content: bytes, mimetype: str, filename: str, *, etag: str) -> Response:
    response = send_file(
        io.BytesIO(content),
        mimetype=mimetype,
        as_attachment=True,
        download_name=filename,
        etag=etag,
        max_age=DOWNLOAD_MAX_AGE,
    )
    # Only the holder may download it: no shared cache may keep a copy.
    response.cache_control.private = True
    response.cache_control.public = False
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.post("/certificates/<code>/renew")
@login_required
def renew(code: str) -> ResponseReturnValue:
    """Start renewing: the required courses are reset, to be completed again."""
    if not RenewForm().validate_on_submit():
        abort(400)
    catalog = current_catalog()

    def start(session: Session) -> tuple[str, ...]:
        certificate = services.own_certificate(session, signed_in_user(), code)
        return renewal.start_renewal(
            session,
            signed_in_user(),
            certificate,
            catalog,
            days=current_settings().certificate_renewal_days,
        )

    courses = run_in_transaction(start)
    flash(
        _(
            "Renewal started. Complete the courses again; your new certificate will be "
            "issued as soon as you have."
        ),
        "success",
    )
    first = next((course_id for course_id in courses if catalog.course(course_id)), None)
    if first is None:
        return redirect(url_for(".index"), 303)
    return redirect(url_for("learning.course", course_id=first), 303)


@blueprint.get("/verify")
def verify_form() -> ResponseReturnValue:
    """A form to check a code typed from a certificate; it leads to the code's page."""
    asked = "code" in request.args
    form = VerifyForm(formdata=request.args if asked else None)
    if asked and form.validate():
        canonical = normalize_code(form.code.data or "")
        if canonical is not None:
            return redirect(url_for(".verify", code=canonical), 303)
        form.code.errors = [
            _(
                "This is not a certificate code. A code has 16 letters and digits after "
                "PRC, such as PRC-7KQ2-M9XD-4TFA-0WZE."
            )
        ]
    status = 400 if asked else 200
    return render_template("certificates/verify_form.html", form=form), status


@blueprint.get("/verify/<code>")
@limiter.shared_limit(VERIFY_PER_IP, scope="verify")
def verify(code: str) -> ResponseReturnValue:
    """The public page of a certificate: the QR code on the PDF leads here."""
    canonical = normalize_code(code)
    if canonical is not None and canonical != code:
        return redirect(url_for(".verify", code=canonical), 301)
    certificate = queries.find_certificate_by_code(get_session(), canonical or "")
    if certificate is None:
        page = render_template(
            "certificates/unknown.html", code=code, form=VerifyForm(formdata=None)
        )
        return page, 404
    facts = pages.verification(certificate, current_language(), current_settings().zone)
    response = make_response(render_template("certificates/verification.html", facts=facts))
    # A revocation must show at once, not after a cache's lifetime.
    response.cache_control.no_cache = True
    return response


@blueprint.get("/verify/<code>.json")
@limiter.shared_limit(VERIFY_PER_IP, scope="verify")
def verify_json(code: str) -> ResponseReturnValue:
    """The same facts as ``verify``, as JSON, for programs that check certificates."""
    canonical = normalize_code(code)
    if canonical is not None and canonical != code:
        return redirect(url_for(".verify_json", code=canonical), 301)
    certificate = queries.find_certificate_by_code(get_session(), canonical or "")
    if certificate is None:
        message = _("No certificate has this code. Check it against the printed certificate.")
        return jsonify({"error": "not_found", "message": message}), 404
    response = jsonify(pages.verification_json(certificate, current_settings().zone))
    response.cache_control.no_cache = True
    return response


@blueprint.get("/issuers/<definition_id>")
def issuer(definition_id: str) -> ResponseReturnValue:
    """The Open Badges issuer Profile of a definition's badges (their ``iss``)."""
    definition = current_catalog().certificates.get(definition_id)
    if definition is None:
        abort(404)
    language = current_settings().default_language
    return jsonify(
        {
            "@context": list(badges.CONTEXT),
            "id": external_url("certificates.issuer", definition_id=definition.id),
            "type": ["Profile"],
            "name": definition.issuer.name.get(language),
            "url": definition.issuer.url,
        }
    )


@blueprint.get("/achievements/<definition_id>")
def achievement(definition_id: str) -> ResponseReturnValue:
    """What a definition's badges say was achieved, as an Open Badges Achievement."""
    catalog = current_catalog()
    definition = catalog.certificates.get(definition_id)
    if definition is None:
        abort(404)
    language = current_settings().default_language
    return jsonify(
        {
            "@context": list(badges.CONTEXT),
            "id": external_url("certificates.achievement", definition_id=definition.id),
            "type": ["Achievement"],
            "achievementType": "CertificateOfCompletion",
            "name": definition.title.get(language),
            "description": definition.statement.get(language),
            "criteria": {
                "narrative": artifacts.criteria_text(catalog, definition.requires, language)
            },
            "inLanguage": language,
        }
    )


@blueprint.get("/.well-known/jwks.json")
def jwks() -> ResponseReturnValue:
    """The public key that verifies every badge; its ``kid`` is the badges' JOSE ``kid``."""
    response = jsonify(
        badges.jwks(signing_key().public_key(), jwks_url=external_url("certificates.jwks"))
    )
    response.cache_control.public = True
    response.cache_control.max_age = JWKS_MAX_AGE
    return response


@blueprint.get("/issuers/<definition_id>/status/<int:number>")
def status_list(definition_id: str, number: int) -> ResponseReturnValue:
    """A revocation status list of a definition's badges (their ``credentialStatus``), as
    a signed BitstringStatusListCredential (VC-JWT)."""
    session = get_session()
    known = definition_id in current_catalog().certificates or queries.has_certificates(
        session, definition_id
    )
    if not known or number >= status_lists.MAX_LISTS:
        abort(404)
    token = status_lists.status_list_token(session, definition_id, number)
    response = make_response(token)
    response.mimetype = "application/jwt"
    # A revocation must reach verifiers at once; any cache may keep a copy meanwhile.
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return response
