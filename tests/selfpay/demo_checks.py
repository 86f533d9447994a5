"""The demo's self-payment: collections by the Sukawati BumDes agents, a deposit, and the
month's fee statements.

Run by ``tests/test_demo.py`` on the demo it loads once for every app's checks."""

from lindung.programs.lifecycle import State
from lindung.selfpay.models import Collection, Deposit, FeeStatement
from tests.factories import TODAY


def check_collections_and_fees():
    collections = Collection.objects.filter(district_code="51.04.01")
    assert collections.count() >= 12
    assert collections.exclude(agent=None).filter(agent__user__isnull=False).exists()
    assert {c.enrollment.state for c in collections} == {State.CONTINUED}
    assert collections.filter(lines__month__gt=TODAY.replace(day=1)).exists()  # paid ahead
    assert Deposit.objects.exists() and collections.filter(deposit=None).exists()
    month = FeeStatement.objects.filter(month=TODAY.replace(day=1))
    assert month.filter(agent__isnull=False, total__gt=0).exists()
    assert month.filter(organisation__name="BumDes Sukawati").exists()


COUNTED = (Collection, Deposit, FeeStatement)
