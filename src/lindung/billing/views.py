"""Billing pages. Thin: parse the request, call a selector or a service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindung.billing import planner, reports, selectors, services, tasks
from lindung.billing.forms import (
    AsOfForm,
    ImportForm,
    PaymentForm,
    PlannerForm,
    QuoteForm,
)
from lindung.billing.models import STATUS_LABELS, Bill, Payment
from lindung.billing.run import BillingRefused
from lindung.contributions.models import BpuRateVersion, PuRateVersion, ReliefRule, WageCap
from lindung.contributions.premiums import (
    NoRateInForce,
    PremiumInputInvalid,
    UnknownProgram,
    premium,
)
from lindung.formatting import number, rupiah
from lindung.people.validation import parse_date
from lindung.privacy import access
from lindung.privacy.models import AccessKind
from lindung.programs import clock
from lindung.programs import selectors as program_selectors
from lindung.programs.services import parse_month, parse_rupiah
from lindung.regions.models import Region

LINES_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _month_choices(program, today: dt.date) -> list[dt.date]:
    """Months that can be billed now, latest first: up to this month and the program's end."""
    return list(reversed(selectors.billable_months(program, today)))


# --- bills ---------------------------------------------------------------------------------


@login_required
def bill_list(request):
    today = clock.today()
    bills = selectors.bills_for(request.user)
    program_id = request.GET.get("program", "")
    if program_id.isdecimal():
        bills = bills.filter(program_id=int(program_id))
    month = parse_month(request.GET["bulan"]) if request.GET.get("bulan") else None
    status = request.GET.get("status", "")
    bills = selectors.filter_bills(bills, status=status, month=month, today=today)
    summary = selectors.summary(bills, today)
    page = Paginator(bills.order_by("-month", "program__name", "village_code", "sequence"), 50)
    page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "billing/list.html",
        {
            "page": page,
            "summary": summary,
            "programs": program_selectors.programs_for(request.user),
            "program_id": program_id,
            "month_text": request.GET.get("bulan", ""),
            "status": status,
            "statuses": [
                ("open", _("Belum lunas")),
                ("overdue", _("Lewat jatuh tempo")),
                ("paid", _("Lunas")),
            ],  # fmt: skip
            "today": today,
            "status_labels": STATUS_LABELS,
            "import_form": ImportForm(),
        },
    )


@login_required
def bill_detail(request, pk: int):
    today = clock.today()
    bill = selectors.get_bill(request.user, pk)
    village = request.GET.get("desa", "")
    lines = selectors.bill_lines(request.user, bill, village=village)
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    village_region = Region.objects.filter(code=bill.village_code).first()
    return render(
        request,
        "billing/bill.html",
        {
            "bill": bill,
            "program": bill.program,
            "village_region": village_region,
            "totals": selectors.village_totals(request.user, bill),
            "page": page,
            "village": village,
            "payments": selectors.payments_of(bill),
            "status": bill.status(today),
            "status_label": STATUS_LABELS[bill.status(today)],
            "arrears": bill.months_in_arrears(today),
            "can_pay": services.can_pay(request.user, bill) and bill.outstanding > 0,
            "form": _payment_form(request, bill, today),
            "supplements": Bill.objects.filter(
                program=bill.program, month=bill.month, village_code=bill.village_code
            )
            .exclude(pk=bill.pk)
            .order_by("sequence"),  # fmt: skip
        },
    )


PAYMENT_DRAFT = "payment-draft-%s"


def _payment_form(request, bill, today):
    """The payment form: as the user typed it when the last attempt was refused (the draft
    kept in the session by :func:`pay`), else with today's date and the amount due."""
    draft = request.session.pop(PAYMENT_DRAFT % bill.pk, None)
    if isinstance(draft, dict):
        return PaymentForm(data=draft)
    return PaymentForm(
        initial={"paid_on": today.strftime("%d/%m/%Y"), "amount": number(bill.outstanding)}
    )


def _keep_draft(request, pk: int) -> None:
    """Keep what was typed (not the file) for the page the refusal redirects to."""
    request.session[PAYMENT_DRAFT % pk] = {
        name: request.POST.get(name, "")[:100] for name in ("paid_on", "amount", "reference")
    }


@login_required
@require_POST
def pay(request, pk: int):
    bill = selectors.get_bill(request.user, pk)
    if not services.can_pay(request.user, bill):
        raise PermissionDenied
    form = PaymentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Isi tanggal, jumlah dan referensi pembayaran."))
        _keep_draft(request, pk)
        return redirect("billing:bill", pk=pk)
    try:
        payment = services.record_payment(
            user=request.user,
            bill=bill,
            paid_on=form.cleaned_data["paid_on"],
            amount=form.cleaned_data["amount"],
            reference=form.cleaned_data["reference"],
            proof=form.cleaned_data.get("proof"),
            today=clock.today(),
        )
    except services.PaymentRefused as refusal:
        messages.error(request, refusal.message)
        _keep_draft(request, pk)
    else:
        messages.success(
            request,
            _("Pembayaran %(amount)s (%(reference)s) dicatat untuk tagihan %(number)s.")
            % {
                "amount": rupiah(payment.amount),
                "reference": payment.reference,
                "number": bill.number,
            },  # fmt: skip
        )
    return redirect("billing:bill", pk=pk)


@login_required
def proof(request, pk: int):
    payment = Payment.objects.select_related("bill").filter(pk=pk).first()
    if payment is None or not payment.proof:
        raise Http404
    selectors.get_bill(request.user, payment.bill_id)  # 404 outside the user's bills
    return FileResponse(payment.proof.open("rb"), as_attachment=True,
                        filename=payment.proof.name.rsplit("/", 1)[-1])  # fmt: skip


def _bill_downloaded(request, bill, fmt: str) -> None:
    """A bill's file names its workers: logged as an export of their data."""
    access.record_access(
        request,
        AccessKind.EXPORT,
        query={"bill": bill.number, "format": fmt},
        count=selectors.bill_lines(request.user, bill).count(),
    )


@login_required
def bill_xlsx(request, pk: int):
    bill = selectors.get_bill(request.user, pk)
    content = reports.bill_xlsx(request.user, bill, clock.today())
    _bill_downloaded(request, bill, "xlsx")
    return _download(content, f"{reports.file_stem(bill.number)}.xlsx", XLSX)


@login_required
def bill_pdf(request, pk: int):
    bill = selectors.get_bill(request.user, pk)
    content = reports.bill_pdf(request.user, bill, clock.today())
    _bill_downloaded(request, bill, "pdf")
    return _download(content, f"{reports.file_stem(bill.number)}.pdf", "application/pdf")


# --- a program's billing -------------------------------------------------------------------


@login_required
def program_billing(request, pk: int):
    today = clock.today()
    program = program_selectors.get_program(request.user, pk)
    bills = selectors.bills_for(request.user, program=program).order_by(
        "-month", "village_code", "sequence"
    )
    real = selectors.realisation(request.user, program, today, villages=False)
    months = _month_choices(program, today)
    default = selectors.default_run_month(program, today)
    return render(
        request,
        "billing/program.html",
        {
            "program": program,
            "bills": bills,
            "summary": selectors.summary(bills, today),
            "real": real,
            "warning": reports.warning_text(real),
            "can_run": services.can_run(request.user, program),
            "months": months,
            "default_month": default,
            "due": selectors.months_due(program, today),
            "nothing_to_bill": selectors.nothing_to_bill(program, today),
            "today": today,
            "status_labels": STATUS_LABELS,
            "import_form": ImportForm(),
            "runs": program.billing_runs.select_related("by").order_by("-started_at", "-id")[:10],
        },
    )


@login_required
@require_GET
def run_preview(request, pk: int):
    """What a run of the month asked for would bill, before anything is written."""
    today = clock.today()
    program = program_selectors.get_program(request.user, pk)
    if not services.can_run(request.user, program):
        raise PermissionDenied
    month = parse_month(request.GET.get("month", ""))
    if month is None:
        messages.error(request, _("Bulan tagihan tidak dikenali: tulis seperti 01/2024."))
        return redirect("billing:program", pk=pk)
    preview = selectors.run_preview(program, month, today)
    return render(request, "billing/run_preview.html", {"program": program, "preview": preview})


@login_required
@require_POST
def run(request, pk: int):
    program = program_selectors.get_program(request.user, pk)
    if not services.can_run(request.user, program):
        raise PermissionDenied
    month = parse_month(request.POST.get("month", ""))
    if month is None:
        messages.error(request, _("Bulan tagihan tidak dikenali: tulis seperti 01/2024."))
        return redirect("billing:program", pk=pk)
    at_once = selectors.months_at_once(program, month.replace(day=1), clock.today())
    if len(at_once) > 1 and request.POST.get("confirm") != "1":
        # Several months at once only after the preview has named them and been confirmed.
        messages.warning(
            request,
            _("Tagihan %(month)s akan menagih %(n)s bulan sekaligus (%(months)s): periksa "
              "pratinjau dan centang konfirmasi dulu.")
            % {"month": f"{month:%m/%Y}", "n": len(at_once),
               "months": ", ".join(f"{m:%m/%Y}" for m in at_once)},
        )  # fmt: skip
        return redirect(reverse("billing:run-preview", args=[pk]) + f"?month={month:%m/%Y}")
    if services.runs_in_background(program):
        tasks.enqueue_billing(user=request.user, program=program, month=month,
                                 today=clock.today())  # fmt: skip
        messages.info(
            request,
            _("Tagihan %(month)s sedang diproses di latar belakang: muat ulang halaman ini dalam "
              "beberapa saat (lihat daftar proses tagihan).") % {"month": f"{month:%m/%Y}"},
        )  # fmt: skip
        return redirect("billing:program", pk=pk)
    try:
        result = services.run_billing(
            user=request.user, program=program, month=month, today=clock.today(), via="web"
        )
    except BillingRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("billing:program", pk=pk)
    if result.run.lines:
        messages.success(
            request,
            _(
                "Tagihan %(month)s: %(added)s baris baru (%(amount)s). Jumlah bulan ini %(lines)s "
                "baris, %(total)s."
            )  # fmt: skip
            % {
                "month": f"{month:%m/%Y}",
                "added": number(result.run.lines),
                "amount": rupiah(result.run.amount),
                "lines": number(result.lines),
                "total": rupiah(result.amount),
            },
        )
    else:
        messages.info(
            request,
            _("Tagihan %(month)s sudah lengkap: tidak ada perubahan (%(lines)s baris, %(total)s).")
            % {
                "month": f"{month:%m/%Y}",
                "lines": number(result.lines),
                "total": rupiah(result.amount),
            },  # fmt: skip
        )
    if len(result.bills) == 1:
        return redirect("billing:bill", pk=result.bills[0].pk)
    return redirect("billing:program", pk=pk)


def _as_of(request, today: dt.date) -> dt.date:
    text = request.GET.get("tanggal", "")
    return (parse_date(text) if text else None) or today


@login_required
def realisation(request, pk: int):
    today = clock.today()
    program = program_selectors.get_program(request.user, pk)
    as_of = _as_of(request, today)
    real = selectors.realisation(request.user, program, as_of)
    fmt = request.GET.get("format", "")
    stem = reports.file_stem(f"realisasi-{program.name}-{as_of:%Y%m%d}")
    if fmt == "xlsx":
        return _download(reports.realisation_xlsx(request.user, real, today), f"{stem}.xlsx", XLSX)
    if fmt == "pdf":
        content = reports.realisation_pdf(request.user, real, today)
        return _download(content, f"{stem}.pdf", "application/pdf")
    return render(
        request,
        "billing/realisation.html",
        {
            "program": program,
            "real": real,
            "warning": reports.warning_text(real),
            "form": AsOfForm(initial={"tanggal": as_of.strftime("%d/%m/%Y")}),
            "as_of_text": as_of.strftime("%d/%m/%Y"),
        },
    )


@login_required
def realisation_overview(request):
    today = clock.today()
    as_of = _as_of(request, today)
    rows = selectors.realisations_for(request.user, as_of)
    return render(
        request,
        "billing/realisations.html",
        {"rows": rows, "as_of": as_of, "form": AsOfForm(initial={"tanggal": f"{as_of:%d/%m/%Y}"})},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_payments(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    record = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.import_payments(
                user=request.user,
                file_name=upload.name,
                content=upload.read(),
                today=clock.today(),
            )
        except services.ImportUnreadable as problem:
            form.add_error("file", problem.message)
    return render(request, "billing/import.html", {"form": form, "record": record})


# --- planner and rates ---------------------------------------------------------------------


def _int(value, default=None):
    amount = parse_rupiah(value) if value not in (None, "") else None
    return amount if amount is not None else default


@login_required
def planner_page(request):
    form = PlannerForm(request.GET or None)
    plans, problems = [], []
    programs = program_selectors.programs_for(request.user)
    if form.is_valid():
        data = form.cleaned_data
        start = parse_month(data["start"])
        months = _int(data["months"])
        income = _int(data["income"])
        if start is None:
            problems.append(_("Bulan mulai tidak dikenali: tulis seperti 01/2024."))
        if not months or months > 24:
            problems.append(_("Bulan dibiayai harus 1 sampai 24."))
        if income is None:
            problems.append(_("Dasar penghasilan harus rupiah bulat, mis. 1000000."))
        if not problems:
            package = planner.Package(
                ("JKK", "JKM", "JHT") if data["includes_jht"] else ("JKK", "JKM"),
                income,
                data["payer"],
                start,
                months,
            )
            try:
                plans = _plans(request.user, data, package, programs, problems)
            except (NoRateInForce, PremiumInputInvalid) as exc:
                problems.append(getattr(exc, "message", str(exc)))
    return render(
        request,
        "billing/planner.html",
        {"form": form, "plans": plans, "problems": problems, "programs": programs},
    )


def _plans(user, data, package, programs, problems):
    mode = data["mode"]
    if mode == "program":
        program = programs.filter(pk=_int(data["program"], 0)).first()
        if program is None:
            problems.append(_("Pilih program."))
            return []
        return [(program.year, planner.for_program(program))]
    if mode == "region":
        region = Region.objects.filter(code=(data["region"] or "").strip()).first()
        per_village, rounds = _int(data["per_village"]), _int(data["rounds"])
        if region is None:
            problems.append(_("Wilayah tidak dikenal: tulis kode seperti 51.04."))
            return []
        if not per_village or not rounds:
            problems.append(_("Isi pekerja per desa dan jumlah putaran (angka bulat)."))
            return []
        return planner.this_year_and_next(
            lambda p: planner.for_region(region, per_village=per_village, rounds=rounds,
                                         package=p, include_kelurahan=data["include_kelurahan"]),
            package,
        )  # fmt: skip
    if mode == "workers":
        workers = _int(data["workers"])
        if not workers:
            problems.append(_("Isi jumlah pekerja (angka bulat)."))
            return []
        return planner.this_year_and_next(lambda p: planner.for_workers(workers, p), package)
    if mode == "budget":
        budget = _int(data["budget"])
        if not budget:
            problems.append(_("Isi anggaran dalam rupiah bulat, mis. 1.290.240.000."))
            return []
        return planner.this_year_and_next(lambda p: planner.for_budget(budget, p), package)
    workforce, covered = _int(data["workforce"]), _int(data["covered"], 0)
    try:
        target = float(str(data["target"]).replace(",", "."))
    except ValueError:
        target = -1
    if not workforce or not 0 < target <= 100:
        problems.append(_("Isi jumlah tenaga kerja dan target cakupan 1–100%."))
        return []
    return planner.this_year_and_next(
        lambda p: planner.for_target(workforce, target, covered, p), package
    )


@login_required
def rates_page(request):
    form = QuoteForm(request.GET or None)
    quote, problem = None, ""
    if form.is_valid():
        data = form.cleaned_data
        month = parse_month(data["month"])
        income = _int(data["income"])
        if month is None:
            problem = _("Bulan iuran tidak dikenali: tulis seperti 01/2024.")
        elif income is None:
            problem = _("Penghasilan/upah harus rupiah bulat, mis. 1000000.")
        else:
            try:
                quote = premium(
                    data["segment"], data["programs"], income, month,
                    risk_class=data["risk_class"], payer=data["payer"],
                    transport=data["transport"],
                )  # fmt: skip
            except (PremiumInputInvalid, UnknownProgram) as exc:
                problem = exc.message
            except NoRateInForce as exc:
                problem = str(exc)
    return render(
        request,
        "billing/rates.html",
        {
            "form": form,
            "quote": quote,
            "problem": problem,
            "bpu": BpuRateVersion.objects.all(),
            "pu": PuRateVersion.objects.all(),
            "caps": WageCap.objects.all(),
            "rules": ReliefRule.objects.all(),
        },
    )
