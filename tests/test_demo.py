"""The demo, loaded once for every app's checks: a load takes tens of seconds, and each
app's story of the article is read from the same data (``tests/<app>/demo_checks.py``).
Then a second load changes nothing: the demo is loaded by ``make demo`` on every start."""

import pytest

from lindung.demo.employers import load_demo_employers
from lindung.demo.services import load_demo
from tests.agents import demo_checks as agents
from tests.claims import demo_checks as claims
from tests.employers import demo_checks as employers
from tests.factories import TODAY
from tests.programs import demo_checks as programs
from tests.selfpay import demo_checks as selfpay

pytestmark = pytest.mark.django_db

CHECKS = (
    programs.check_programs_have_the_articles_figures,
    agents.check_agents_in_sukawati,
    selfpay.check_collections_and_fees,
    employers.check_employers_tell_the_article,
    employers.check_dashboards_show_formal_and_informal_each_against_its_target,
    employers.check_formal_coverage_reads_the_article_at_once,
    claims.check_claims_reach_the_report,
)
COUNTED = (*programs.COUNTED, *agents.COUNTED, *selfpay.COUNTED, *employers.COUNTED,
           *claims.COUNTED)  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_the_demo_tells_the_article_and_loads_once():
    load_demo(today=TODAY)
    for check in CHECKS:
        check()
    before = counts()
    load_demo(today=TODAY)
    assert counts() == before
    assert load_demo_employers(today=TODAY) == 0
    for check in CHECKS:  # the same story after the second load
        check()
