"""Sign-in views."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_login import current_user

from training.access import authenticated, public
from training.auth import bp
from training.auth.forms import ChangePasswordForm, LanguageForm, LoginForm
from training.auth.services import authenticate, form_login_failed, login_failure_limit
from training.auth.sessions import sign_in, sign_out
from training.errors import DomainError
from training.extensions import limiter
from training.people.services import WeakPassword, change_own_password
from training.redirects import safe_next


def locked_out(_limit: RequestLimit):
    """Too many failures: the same message whether or not the login name exists."""
    form = LoginForm()
    message = _("登录失败次数过多，请稍后再试。")
    return make_response(render_template("auth/login.html", form=form, error=message), 429)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_ATTEMPTS_PER_ADDRESS"], methods=["POST"])
@login_failure_limit(form_login_failed, on_breach=locked_out)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            sign_in(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data))
        error = _("登录名或密码错误，或账号已停用。")
    return render_template("auth/login.html", form=form, error=error), 200


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    sign_out()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@authenticated
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user, form.current_password.data, form.new_password.data)
        except WeakPassword as error:
            form.new_password.errors.append(error.message)
        except DomainError as error:
            form.current_password.errors.append(error.message)
        else:
            sign_in(current_user._get_current_object())  # the new version ended every session
            flash(_("密码已修改。"), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.locale.data in current_app.config["LANGUAGES"]:
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
    return redirect(safe_next(form.next.data))
