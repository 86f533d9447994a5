"""Pages where a system or regency admin manages the users of their region, and where
everyone sees and revokes their API tokens (admins also those of their users)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts import second_factor, selectors, services
from lindung.accounts.forms import CodeForm, TokenForm, UserForm
from lindung.accounts.picker import picker_context


@login_required
def user_list(request):
    if not request.user.can_manage_users:
        raise PermissionDenied
    page = Paginator(selectors.users_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int | None = None):
    if not request.user.can_manage_users:
        raise PermissionDenied
    user = selectors.get_user_for(request.user, pk) if pk else None
    initial = (
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role,
            "region": user.region_id or "",
            "is_active": user.is_active,
        }
        if user
        else {"is_active": True}
    )
    form = UserForm(request.POST or None, initial=initial, actor=request.user, editing=bool(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_user(
                actor=request.user,
                user=user,
                username=user.username if user else data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                region_code=data["region"],
                password=data["password"],
                is_active=data["is_active"],
            )
        except services.UserInvalid as error:
            form.add_problems(error.problems)
        else:
            messages.success(request, _("Pengguna %(name)s disimpan.") % {"name": saved.username})
            return redirect("accounts:list")
    region = form["region"].value() or ""
    context = {
        "form": form,
        "edited": user,
        "picker": picker_context(request, region, name="region", village_only=False),
    }
    return render(request, "accounts/user_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The tokens the user may see; a new one is shown on this answer only, never again."""
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        raw = services.issue_token(request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    context = {"form": form, "raw": raw, "tokens": selectors.tokens_for(request.user)[:200]}
    response = render(request, "accounts/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the new token must not stay in a cache
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.get_token_for(request.user, pk)
    services.revoke_token(actor=request.user, token=token)
    messages.success(
        request,
        _("Token %(prefix)s… milik %(user)s dicabut: skrip yang memakainya tidak bisa masuk lagi.")
        % {"prefix": token.prefix, "user": token.user.username},
    )
    return redirect("accounts:tokens")


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if safe else "/"


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Set up the authenticator app: the secret and its QR code, then a first code."""
    device = second_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.confirm(request, device, form.cleaned_data["code"]):
            messages.success(request, _("Verifikasi dua langkah aktif untuk akun ini."))
            return redirect(_next(request))
        form.add_error("code", _("Kode tidak cocok: periksa jam ponsel lalu ketik kode terbaru."))
    context = {
        "form": form,
        "secret": second_factor.secret(device),
        "qr": mark_safe(second_factor.qr_svg(device).decode()),  # made here, no user text
        "has_device": second_factor.confirmed_device(request.user) is not None,
        "required": second_factor.required_for(request.user),
        "next": _next(request),
    }
    response = render(request, "accounts/second_factor_setup.html", context)
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    """After the password: the code from the app."""
    if second_factor.confirmed_device(request.user) is None:
        return redirect("accounts:2fa-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", _("Kode tidak cocok: periksa jam ponsel lalu ketik kode terbaru."))
    return render(
        request, "accounts/second_factor_verify.html", {"form": form, "next": _next(request)}
    )
