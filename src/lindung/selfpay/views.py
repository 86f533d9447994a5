"""Pages of self-paid continuation: collecting (phone first), receipts."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lindung.billing.terbilang import rupiah_words
from lindung.programs import clock
from lindung.selfpay import receipts, selectors, services
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
