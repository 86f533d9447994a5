"""Pages of self-paid continuation: collecting (phone first), receipts."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lindung.billing.terbilang import rupiah_words
from lindung.programs import clock
from lindung.programs.models import add_months
from lindung.selfpay import fees, receipts, reports, selectors, services, statements
from lindung.selfpay import months as calendar
from lindung.selfpay.forms import CollectionForm


@login_required
@require_http_methods(["GET", "POST"])
def collections(request):
    today = clock.today()
    form = CollectionForm(request.POST or None, today=today,
                          initial={"nik": request.GET.get("nik", "")})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collection = services.record_collection(
                user=request.user,
                nik=data["nik"],
                months=data["months"],
                paid_on=data["paid_on"],
                method=data["method"],
                amount=data["amount"] or None,
                today=today,
            )
        except services.CollectionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("selfpay:receipt", pk=collection.pk)
    recent = selectors.collections_for(request.user).order_by("-recorded_at", "-id")[:20]
    return render(request, "selfpay/collections.html", {"form": form, "recent": recent})


@login_required
def receipt(request, pk: int):
    collection = selectors.get_collection(request.user, pk)
    lines = collection.lines.order_by("month")
    words = rupiah_words(collection.total)
    return render(
        request, "selfpay/receipt.html", {"c": collection, "lines": lines, "words": words}
    )


@login_required
def receipt_pdf(request, pk: int):
    collection = selectors.get_collection(request.user, pk)
    size = request.GET.get("ukuran", "a6")
    size = size if size in receipts.SIZES else "a6"
    response = HttpResponse(receipts.receipt_pdf(collection, size), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{collection.number}-{size}.pdf"'
    return response


def _download(content: bytes, name: str, kind: str) -> HttpResponse:
    types = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(content, content_type=types[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


class DepositForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Referensi setoran"), max_length=100)
    deposited_on = forms.CharField(label=gettext_lazy("Tanggal setor"), max_length=10,
                                   help_text=gettext_lazy("mis. 25/11/2026"))  # fmt: skip
    amount = forms.CharField(label=gettext_lazy("Jumlah (Rp)"), max_length=20)


@login_required
@require_http_methods(["GET", "POST"])
def deposits(request):
    today = clock.today()
    form = DepositForm(request.POST or None, initial={"deposited_on": f"{today:%d/%m/%Y}"})
    if request.method == "POST" and form.is_valid():
        try:
            deposit = services.record_deposit(user=request.user, today=today, **form.cleaned_data)
        except services.DepositRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Setoran %(ref)s dicatat.") % {"ref": deposit.reference})
            return redirect("selfpay:deposits")
    pending = selectors.collections_for(request.user).filter(deposit__isnull=True)
    context = {
        "form": form,
        "deposits": selectors.deposits_for(request.user)[:50],
        "pending_count": pending.count(),
        "pending_total": sum(pending.values_list("total", flat=True)),
    }
    return render(request, "selfpay/deposits.html", context)


class StatementForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Rekening koran pembayaran BPJS (CSV atau XLSX)"),
        help_text=gettext_lazy("Kolom: kpj, bulan, jumlah, tanggal_bayar"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_import(request):
    form = StatementForm(request.POST or None, request.FILES or None)
    record = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = statements.import_statement(
                user=request.user, file_name=upload.name, content=upload.read()
            )
        except statements.StatementRefused as refusal:
            form.add_error("file", refusal.message)
    problems = record.problems.all()[:1000] if record else []
    context = {"form": form, "record": record, "problems": problems}
    return render(request, "selfpay/statement.html", context)


def _month_param(request, name: str, default: dt.date) -> dt.date:
    return calendar.parse_month(request.GET.get(name)) or default


@login_required
def differences(request):
    this_month = clock.today().replace(day=1)
    first = _month_param(request, "dari", add_months(this_month, -3))
    last = _month_param(request, "sampai", this_month)
    if request.GET.get("format") == "xlsx":
        found = statements.differences(request.user, first, last)
        return _download(reports.differences_xlsx(found), f"selisih-{first:%Y%m}-{last:%Y%m}",
                         "xlsx")  # fmt: skip
    found = statements.differences(request.user, first, last, limit=2000)
    context = {"found": found, "first": calendar.month_key(first), "last": calendar.month_key(last)}
    return render(request, "selfpay/differences.html", context)


@login_required
def fee_statements(request):
    listed = selectors.statements_for(request.user).order_by("-month", "agent__full_name")[:200]
    return render(request, "selfpay/fees.html", {"statements": listed})


@login_required
def fee_statement(request, pk: int):
    statement = selectors.get_statement(request.user, pk)
    kind = request.GET.get("format")
    name = f"imbal-jasa-{statement.pk}-{statement.month:%Y%m}"
    if kind == "xlsx":
        return _download(reports.statement_xlsx(statement), name, "xlsx")
    if kind == "pdf":
        return _download(reports.statement_pdf(statement), name, "pdf")
    context = {
        "s": statement,
        "title": reports.statement_title(statement),
        "rows": [reports.line_row(line) for line in selectors.statement_lines(statement)],
    }
    return render(request, "selfpay/fee_statement.html", context)


@login_required
@require_POST
def approve_statement(request, pk: int):
    statement = selectors.get_statement(request.user, pk)
    try:
        fees.approve(user=request.user, statement=statement, today=clock.today())
    except fees.FeeRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Rekap disetujui dan dibekukan."))
    return redirect("selfpay:fee-statement", pk=statement.pk)
