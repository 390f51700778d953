"""A member's settings in communities: the name shown on their posts, and their mail."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from lms.accounts.access import signed_in_user
from lms.communities import queries, services
from lms.communities.forms import SettingsForm
from lms.communities.models import MailMode
from lms.communities.views.blueprint import blueprint
from lms.db import get_session, utcnow


@blueprint.route("/settings", methods=["GET", "POST"])
def settings() -> ResponseReturnValue:
    session, user = get_session(), signed_in_user()
    profile = queries.profile_of(session, user.id)
    form = SettingsForm(
        display_name=profile.display_name if profile else "",
        mail_mode=(profile.mail_mode if profile else MailMode.IMMEDIATE).value,
    )
    if form.validate_on_submit():
        services.save_settings(
            session,
            user,
            display_name=form.display_name.data,
            mail_mode=MailMode(form.mail_mode.data),
            now=utcnow(),
        )
        session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("communities.settings"), 303)
    page = render_template("communities/settings.html", form=form, user_id=user.id)
    return page, 400 if form.errors else 200
