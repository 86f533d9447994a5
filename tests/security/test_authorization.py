"""Every page and every API operation, for every role, inside and outside its region.

The URL patterns come from Django's resolver and the operations from the OpenAPI document,
so a new endpoint without a row in :data:`PAGES` or :data:`OPERATIONS` fails the suite
(and so does a row left behind by a removed one). Each row gives, per role (in the order of
:data:`ROLES`), the status of four requests: GET and POST on the object inside the user's
region, then GET and POST on the same kind of object in another regency (see
``tests/security/world.py``). POSTs carry no form data: they show who gets past the
permission check, and each runs in a savepoint rolled back at once. 405 is a method the
endpoint does not take; 302 after a POST is a form's redirect (or a refusal told as a
message).

Every answer body (XLSX unzipped, PDF as text) is scanned for the NIKs and names of the
workers outside the user's region and, for roles with the masked NIK, for whole NIKs and
birth dates (a masked NIK with the birth date of the same person is the NIK again).
"""

import pytest
from django.db import transaction
from django.test import Client

from lindung.accounts.models import Role
from lindung.programs import clock
from tests.security.routes import api_operations, fill, url_patterns
from tests.security.scan import body_of, leaks, text_of
from tests.security.world import SELFPAY_TODAY

pytestmark = pytest.mark.django_db

ROLES = (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN, Role.VILLAGE_OPERATOR, Role.AGENT, Role.VIEWER)

# Pages: GET-in POST-in GET-out POST-out, per role. The agent's user is linked to its
# Perisai agent, so it proposes workers like an operator (programs.permissions.is_proposer).
# fmt: off
PAGES = {
    "home": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "healthz": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "metrics": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "login": ("302 302 302 302", "302 302 302 302", "302 302 302 302", "302 302 302 302", "302 302 302 302"),
    "logout": ("405 302 405 302", "405 302 405 302", "405 302 405 302", "405 302 405 302", "405 302 405 302"),
    "people:list": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "people:duplicates": ("200 405 200 405", "200 405 200 405", "403 405 403 405", "403 405 403 405", "403 405 403 405"),
    "people:duplicate": ("200 302 200 302", "200 302 404 404", "403 403 404 404", "403 403 404 404", "403 403 404 404"),
    "people:create": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "403 403 403 403"),
    "people:detail": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "people:edit": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "403 403 404 404"),
    "people:delete": ("200 302 200 302", "200 302 404 404", "200 302 404 404", "200 302 404 404", "403 403 404 404"),
    "imports:index": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "403 403 403 403"),
    "imports:template": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "403 405 403 405"),
    "imports:job": ("200 405 200 405", "404 405 404 405", "200 405 404 405", "404 405 404 405", "404 405 404 405"),
    "imports:progress": ("200 405 200 405", "404 405 404 405", "200 405 404 405", "404 405 404 405", "404 405 404 405"),
    "imports:cancel": ("405 302 405 302", "405 404 405 404", "405 302 405 404", "405 404 405 404", "405 404 405 404"),
    "imports:resume": ("405 302 405 302", "405 404 405 404", "405 302 405 404", "405 404 405 404", "405 404 405 404"),
    "imports:report": ("200 405 200 405", "404 405 404 405", "200 405 404 405", "404 405 404 405", "404 405 404 405"),
    "exports:workers": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "accounts:list": ("200 200 200 200", "200 200 200 200", "403 403 403 403", "403 403 403 403", "403 403 403 403"),
    "accounts:create": ("200 200 200 200", "200 200 200 200", "403 403 403 403", "403 403 403 403", "403 403 403 403"),
    "accounts:edit": ("200 200 200 200", "200 200 404 404", "403 403 403 403", "403 403 403 403", "403 403 403 403"),
    "programs:list": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "programs:create": ("200 200 200 200", "200 200 200 200", "403 403 403 403", "403 403 403 403", "403 403 403 403"),
    "programs:detail": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "programs:edit": ("200 200 200 200", "200 200 404 404", "403 403 404 404", "403 403 404 404", "403 403 404 404"),
    "programs:set-quota": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 302 405 404", "405 302 405 404"),
    "programs:add-legal": ("405 302 405 302", "405 302 405 404", "405 403 405 404", "405 403 405 404", "405 403 405 404"),
    "programs:legal-pdf": ("200 405 200 405", "200 405 404 405", "200 405 404 405", "200 405 404 405", "200 405 404 405"),
    "programs:propose": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "403 403 404 404"),
    "programs:quota-counter": ("200 405 200 405", "200 405 404 405", "200 405 404 405", "200 405 404 405", "403 405 404 405"),
    "programs:verify": ("200 403 200 403", "200 403 404 404", "403 403 404 404", "403 403 404 404", "403 403 404 404"),
    "programs:enrollments": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "programs:enrollment": ("200 403 200 403", "200 403 404 404", "200 403 404 404", "200 403 404 404", "200 403 404 404"),
    "programs:funnel": ("200 405 200 405", "200 405 404 405", "200 405 404 405", "200 405 404 405", "200 405 404 405"),
    "programs:funnel-xlsx": ("200 405 200 405", "200 405 404 405", "200 405 404 405", "200 405 404 405", "200 405 404 405"),
    "programs:funnel-pdf": ("200 405 200 405", "200 405 404 405", "200 405 404 405", "200 405 404 405", "200 405 404 405"),
    "programs:agreed-lists": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 403 404 404"),
    "programs:agreed-list": ("200 405 200 405", "200 405 404 405", "200 405 404 405", "200 405 404 405", "200 405 404 405"),
    "programs:agreed-minutes": ("200 405 200 405", "200 405 404 405", "200 405 404 405", "200 405 404 405", "200 405 404 405"),
    "programs:agreed-propose": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 302 405 404", "405 403 405 404"),
    "programs:agreed-recheck": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 302 405 404", "405 403 405 404"),
    "bpjs:program": ("200 302 200 302", "200 302 404 404", "200 403 404 404", "200 403 404 404", "200 403 404 404"),
    "bpjs:batch": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "bpjs:batch-file": ("200 405 200 405", "200 405 404 405", "403 405 403 405", "403 405 403 405", "403 405 403 405"),
    "bpjs:answer-template": ("200 405 200 405", "200 405 404 405", "403 405 403 405", "403 405 403 405", "403 405 403 405"),
    "bpjs:upload-answer": ("405 302 405 302", "405 302 405 404", "405 403 405 403", "405 403 405 403", "405 403 405 403"),
    "bpjs:answer": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "billing:list": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "billing:bill": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "billing:pay": ("405 302 405 302", "405 302 405 404", "405 403 405 404", "405 403 405 404", "405 403 405 404"),
    "billing:bill-xlsx": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "billing:bill-pdf": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "billing:proof": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "billing:program": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "billing:run": ("405 302 405 302", "405 302 405 404", "405 403 405 404", "405 403 405 404", "405 403 405 404"),
    "billing:realisation": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "billing:realisations": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "billing:import": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "billing:planner": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "billing:rates": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "dashboards:home": ("302 405 302 405", "302 405 302 405", "302 405 302 405", "302 405 302 405", "302 405 302 405"),
    "dashboards:dashboard": ("200 405 200 405", "200 405 404 405", "404 405 404 405", "404 405 404 405", "200 405 404 405"),
    "dashboards:villages": ("200 405 200 405", "200 405 404 405", "404 405 404 405", "404 405 404 405", "200 405 404 405"),
    "dashboards:funnels": ("200 405 200 405", "200 405 404 405", "404 405 404 405", "404 405 404 405", "200 405 404 405"),
    "dashboards:xlsx": ("200 405 200 405", "200 405 404 405", "404 405 404 405", "404 405 404 405", "200 405 404 405"),
    "dashboards:pdf": ("200 405 200 405", "200 405 404 405", "404 405 404 405", "404 405 404 405", "200 405 404 405"),
    "targets:template": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "targets:split": ("405 302 405 302", "405 302 405 404", "405 404 405 404", "405 404 405 404", "405 403 405 404"),
    "targets:delete": ("405 302 405 302", "405 302 405 404", "405 404 405 404", "405 404 405 404", "405 403 405 404"),
    "targets:figures": ("200 404 200 404", "200 404 404 404", "404 404 404 404", "404 404 404 404", "403 403 404 404"),
    "targets:upload": ("405 302 405 302", "405 302 405 404", "405 404 405 404", "405 404 405 404", "405 403 405 404"),
    "maps:boundaries": ("200 422 200 422", "200 422 200 422", "403 403 403 403", "403 403 403 403", "403 403 403 403"),
    "accounts:tokens": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "accounts:2fa-setup": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "accounts:2fa-verify": ("302 302 302 302", "302 302 302 302", "302 302 302 302", "302 302 302 302", "302 302 302 302"),
    "accounts:token-revoke": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 404 405 404", "405 404 405 404"),
    "dashboards:agent-retention": ("200 405 200 405", "200 405 404 405", "200 405 404 405", "200 405 404 405", "200 405 404 405"),
    "agents:index": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "agents:agent-create": ("200 200 200 200", "200 200 200 200", "403 403 403 403", "403 403 403 403", "403 403 403 403"),
    "agents:agent": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "agents:agent-edit": ("200 200 200 200", "200 200 404 404", "403 403 404 404", "403 403 404 404", "403 403 404 404"),
    "agents:agent-status": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 302 405 404", "405 302 405 404"),
    "agents:agent-assign": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 302 405 404", "405 302 405 404"),
    "agents:organisation-create": ("200 200 200 200", "200 200 200 200", "403 403 403 403", "403 403 403 403", "403 403 403 403"),
    "agents:organisation": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "agents:organisation-edit": ("200 200 200 200", "200 200 404 404", "403 403 404 404", "403 403 404 404", "403 403 404 404"),
    "agents:agreement-add": ("405 302 405 302", "405 302 405 404", "405 403 405 404", "405 403 405 404", "405 403 405 404"),
    "agents:agreement-document": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "agents:organisation-villages": ("405 302 405 302", "405 302 405 404", "405 403 405 404", "405 403 405 404", "405 403 405 404"),
    "agents:organisation-status": ("405 302 405 302", "405 302 405 404", "405 403 405 404", "405 403 405 404", "405 403 405 404"),
    "agents:work-list": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "agents:contact": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "privacy:index": ("200 405 200 405", "200 405 200 405", "403 405 403 405", "403 405 403 405", "403 405 403 405"),
    "privacy:access-log": ("200 405 200 405", "200 405 200 405", "403 405 403 405", "403 405 403 405", "403 405 403 405"),
    "privacy:subject": ("200 405 200 405", "200 405 200 405", "403 405 403 405", "403 405 403 405", "403 405 403 405"),
    "privacy:subject-copy": ("405 302 405 302", "405 302 405 404", "405 403 405 403", "405 403 405 403", "405 403 405 403"),
    "privacy:subject-correct": ("405 302 405 302", "405 302 405 404", "405 403 405 403", "405 403 405 403", "405 403 405 403"),
    "privacy:subject-erase": ("405 302 405 302", "405 302 405 404", "405 403 405 403", "405 403 405 403", "405 403 405 403"),
    "privacy:history": ("200 405 200 405", "200 405 404 405", "200 405 404 405", "200 405 404 405", "200 405 404 405"),
    "selfpay:collections": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "selfpay:receipt": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "selfpay:receipt-pdf": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "selfpay:deposits": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "selfpay:statement": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "selfpay:differences": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "selfpay:fees": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "selfpay:fee-statement": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "selfpay:fee-approve": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 302 405 404", "405 302 405 404"),
    # claims: the benefit estimator, claims register, Inpres report
    "claims:estimate": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "claims:list": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "claims:create": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "403 403 403 403"),
    "claims:detail": ("200 403 200 403", "200 403 404 404", "200 403 404 404", "200 403 404 404", "200 403 404 404"),
    "claims:photo": ("404 405 404 405", "404 405 404 405", "404 405 404 405", "404 405 404 405", "404 405 404 405"),
    "reports:report": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "region-picker": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "set_language": ("302 302 302 302", "302 302 302 302", "302 302 302 302", "302 302 302 302", "302 302 302 302"),
    # billing: the preview before a run; without ?month= it sends back to the program.
    "billing:run-preview": ("302 405 302 405", "302 405 404 405", "403 405 404 405", "403 405 404 405", "403 405 404 405"),
    # imports: the insurer's member list and the welfare file, regency staff only
    "imports:updates": ("200 200 200 200", "200 200 200 200", "403 403 403 403", "403 403 403 403", "403 403 403 403"),
    "imports:update": ("200 405 200 405", "200 405 404 405", "403 405 403 405", "403 405 403 405", "403 405 403 405"),
    # employers
    "employers:index": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "employers:create": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "403 403 403 403", "403 403 403 403"),
    "employers:work-list": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "employers:detail": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "employers:edit": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "403 403 404 404", "403 403 404 404"),
    "employers:action": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "403 403 404 404", "403 403 404 404"),
    "employers:action-document": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "employers:events": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200"),
    "employers:event-create": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "403 403 403 403", "403 403 403 403"),
    "employers:event": ("200 200 200 200", "200 200 404 404", "200 200 404 404", "200 200 404 404", "200 200 404 404"),
    "employers:link-worker": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 403 405 404", "405 403 405 404"),
    "employers:import": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "403 403 403 403", "403 403 403 403"),
    "employers:import-template": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "employers:unlink-worker": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 403 405 404", "405 403 405 404"),
    # sync: the conflict report and the devices; the agent sees only its own.
    "sync:conflicts": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "403 403 403 403"),
    "sync:conflict": ("200 302 200 302", "200 302 404 404", "200 302 404 404", "404 404 404 404", "403 403 403 403"),
    "sync:devices": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "403 403 403 403"),
    "sync:device-revoke": ("405 302 405 302", "405 302 405 404", "405 302 405 404", "405 404 405 404", "405 403 405 403"),
    "sync:offline": ("200 200 200 200", "200 200 200 200", "200 200 200 200", "200 200 200 200", "403 403 403 403"),
    "service-worker": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
    "manifest": ("200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405", "200 405 200 405"),
}
# fmt: on

# API operations, with a request body or query that passes validation (see BODIES):
# inside, then outside.
# fmt: off
OPERATIONS = {
    "GET /api/v1/workers": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "POST /api/v1/workers": ("201 201", "201 422", "201 422", "201 422", "403 403"),
    "GET /api/v1/workers/{worker_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "PATCH /api/v1/workers/{worker_id}": ("200 200", "200 404", "200 404", "200 404", "403 404"),
    "GET /api/v1/workers/duplicates": ("200 200", "200 200", "403 403", "403 403", "403 403"),
    "POST /api/v1/workers/duplicates/{pair_id}/merge": ("409 409", "409 404", "403 404", "403 404", "403 404"),
    "POST /api/v1/workers/duplicates/{pair_id}/dismiss": ("200 200", "200 404", "403 404", "403 404", "403 404"),
    "DELETE /api/v1/workers/{worker_id}": ("409 409", "409 404", "409 404", "409 404", "403 404"),
    "GET /api/v1/programs": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "POST /api/v1/programs": ("201 201", "201 422", "403 403", "403 403", "403 403"),
    "GET /api/v1/programs/{program_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/programs/{program_id}/quota": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/programs/{program_id}/enrollments": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "POST /api/v1/programs/{program_id}/enrollments": ("409 409", "409 404", "409 404", "409 404", "403 404"),
    "GET /api/v1/programs/{program_id}/funnel": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/programs/{program_id}/agreed-lists": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "POST /api/v1/programs/{program_id}/agreed-lists": ("422 422", "422 404", "422 404", "422 404", "403 404"),
    "GET /api/v1/programs/{program_id}/agreed-lists/{list_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/programs/{program_id}/agreed-lists/{list_id}/versions/{version_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "POST /api/v1/programs/{program_id}/agreed-lists/{list_id}/proposals": ("200 200", "200 404", "200 404", "200 404", "403 404"),
    "GET /api/v1/enrollments/{enrollment_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "POST /api/v1/enrollments/{enrollment_id}/verify": ("409 409", "409 404", "403 404", "403 404", "403 404"),
    "POST /api/v1/enrollments/{enrollment_id}/reject": ("409 409", "409 404", "403 404", "403 404", "403 404"),
    "POST /api/v1/enrollments/{enrollment_id}/withdraw": ("409 409", "409 404", "403 404", "403 404", "403 404"),
    "POST /api/v1/billing/programs/{program_id}/runs": ("200 200", "200 404", "403 404", "403 404", "403 404"),
    "GET /api/v1/billing/bills": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "GET /api/v1/billing/bills/{bill_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "POST /api/v1/billing/bills/{bill_id}/payments": ("201 201", "201 404", "403 404", "403 404", "403 404"),
    "GET /api/v1/billing/programs/{program_id}/realisation": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/billing/planner": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "GET /api/v1/rates/premium": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "GET /api/v1/rates/versions": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "GET /api/v1/indicators": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "GET /api/v1/indicators/series": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "GET /api/v1/retention": ("200 200", "200 404", "404 404", "404 404", "200 404"),
    "GET /api/v1/agents": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "POST /api/v1/agents": ("201 201", "201 403", "403 403", "403 403", "403 403"),
    "GET /api/v1/agents/{agent_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/continuation": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "POST /api/v1/continuation/{enrollment_id}/contacts": ("201 201", "201 404", "403 404", "201 404", "403 404"),
    "GET /api/v1/access-log": ("200 200", "200 200", "403 403", "403 403", "403 403"),
    "GET /api/v1/workers/{worker_id}/history": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/collections": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "POST /api/v1/collections": ("201 201", "201 422", "201 422", "201 422", "403 403"),
    "GET /api/v1/collections/{collection_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/agents/{agent_id}/fees": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    # bpjs: a submission batch through the API; the world has none left to submit
    "POST /api/v1/programs/{program_id}/batches": ("409 409", "409 404", "403 404", "403 404", "403 404"),
    # employers
    "GET /api/v1/employers": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "POST /api/v1/employers": ("201 201", "201 422", "201 422", "403 403", "403 403"),
    "GET /api/v1/employers/worklist": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "GET /api/v1/employers/{employer_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "PATCH /api/v1/employers/{employer_id}": ("200 200", "200 404", "200 404", "403 404", "403 404"),
    "POST /api/v1/employers/{employer_id}/actions": ("201 201", "201 404", "201 404", "403 404", "403 404"),
    "GET /api/v1/employers/events": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "POST /api/v1/employers/events": ("201 201", "201 422", "201 422", "403 403", "403 403"),
    "GET /api/v1/employers/events/{event_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/employers/{employer_id}/workers": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    # The world's workers are BPU: linking one is refused as worker_not_formal (422).
    "POST /api/v1/employers/{employer_id}/workers": ("422 422", "422 404", "422 404", "403 404", "403 404"),
    "DELETE /api/v1/employers/{employer_id}/workers/{worker_id}": ("204 204", "204 404", "204 404", "403 404", "403 404"),
    # sync: answered per record (a record outside the scope is refused inside 200).
    "POST /api/v1/sync": ("200 200", "200 200", "200 200", "200 200", "403 403"),
    "GET /api/v1/sync/offline-data": ("200 200", "200 200", "200 200", "200 200", "403 403"),
    "GET /api/v1/sync/offline-data/workers": ("200 200", "200 200", "200 200", "200 200", "403 403"),
    "GET /api/v1/sync/offline-data/work-items": ("200 200", "200 200", "200 200", "200 200", "403 403"),
    # claims: the benefit estimator, claims register, Inpres report
    "POST /api/v1/enrollments/{enrollment_id}/end": ("409 409", "409 404", "403 404", "403 404", "403 404"),
    "GET /api/v1/benefits/estimate": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "GET /api/v1/claims": ("200 200", "200 200", "200 200", "200 200", "200 200"),
    "POST /api/v1/claims": ("201 201", "201 404", "201 404", "201 404", "403 404"),
    "GET /api/v1/claims/{claim_id}": ("200 200", "200 404", "200 404", "200 404", "200 404"),
    "PATCH /api/v1/claims/{claim_id}": ("200 200", "200 404", "200 404", "200 404", "403 404"),
    "GET /api/v1/reports/inpres": ("200 200", "200 404", "404 404", "404 404", "200 404"),
    # imports: the insurer's member list and the welfare file (no file sent: 422)
    "POST /api/v1/imports/members": ("422 422", "422 422", "403 403", "403 403", "403 403"),
    "POST /api/v1/imports/welfare": ("422 422", "422 422", "403 403", "403 403", "403 403"),
    "GET /api/v1/imports/updates/{update_id}": ("200 200", "200 404", "403 403", "403 403", "403 403"),
}
# fmt: on

# Which object of a side fills each URL parameter; the rest is filled by ARGUMENTS.
OBJECT_PARAMETERS = {
    "people": {"pk": "worker"},
    "people:duplicate": {"pk": "duplicate"},
    "imports": {"pk": "job"},
    "imports:update": {"pk": "update_import"},
    "accounts": {"pk": "user"},
    "accounts:token-revoke": {"pk": "token"},
    "agents": {"pk": "agent"},
    "agents:organisation": {"pk": "organisation"},
    "agents:organisation-edit": {"pk": "organisation"},
    "agents:agreement-add": {"pk": "organisation"},
    "agents:agreement-document": {"pk": "organisation", "agreement": "agreement"},
    "agents:organisation-villages": {"pk": "organisation"},
    "agents:organisation-status": {"pk": "organisation"},
    "agents:contact": {"pk": "ended"},
    "dashboards:agent-retention": {"pk": "agent"},
    "privacy": {"pk": "worker"},
    "selfpay": {"pk": "fee_statement"},
    "selfpay:receipt": {"pk": "collection"},
    "selfpay:receipt-pdf": {"pk": "collection"},
    "claims": {"pk": "claim"},
    "programs": {
        "pk": "program",
        "doc": "document",
        "list_id": "agreed_list",
        "version_id": "agreed_version",
    },
    "programs:enrollment": {"pk": "enrollment"},
    "bpjs": {"program_id": "program", "pk": "batch"},
    "bpjs:answer": {"program_id": "program", "pk": "answer"},
    "billing": {"pk": "bill"},
    "billing:proof": {"pk": "payment"},
    "billing:program": {"pk": "program"},
    "billing:run": {"pk": "program"},
    "billing:realisation": {"pk": "program"},
    "targets": {"pk": "target"},
    "employers": {"pk": "employer"},
    "employers:action-document": {"pk": "employer", "action": "letter"},
    "employers:event": {"pk": "event"},
    "employers:unlink-worker": {"pk": "employer", "worker": "worker"},
    "sync": {"pk": "conflict"},
    "sync:device-revoke": {"pk": "device"},
    "api": {
        "worker_id": "worker",
        "program_id": "program",
        "enrollment_id": "enrollment",
        "bill_id": "bill",
        "agent_id": "agent",
        "collection_id": "collection",
        "employer_id": "employer",
        "event_id": "event",
        "claim_id": "claim",
        "list_id": "agreed_list",
        "version_id": "agreed_version",
        "update_id": "update_import",
    },
    # The work list holds the enrollments whose sponsored months are over.
    "POST /api/v1/continuation/{enrollment_id}/contacts": {"enrollment_id": "ended"},
    # billing
    "billing:run-preview": {"pk": "program"},
    # the same person twice
    "POST /api/v1/workers/duplicates/{pair_id}/merge": {"pair_id": "duplicate"},
    "POST /api/v1/workers/duplicates/{pair_id}/dismiss": {"pair_id": "duplicate"},
}


def arguments(name: str, side) -> dict:
    spec = OBJECT_PARAMETERS.get(name) or OBJECT_PARAMETERS.get(name.split(":")[0], {})
    values = {key: side.objects[kind].pk for key, kind in spec.items()}
    # A template, a target row, a record's history.
    kind = {"targets:template": "targets", "privacy:history": "pekerja"}.get(name, "target")
    return values | {"slug": side.region, "code": side.region, "kind": kind, "fmt": "xlsx"}


def api_arguments(key: str, side) -> dict:
    """The URL parameters of the API operation ``key`` (``"GET /api/v1/..."``)."""
    spec = OBJECT_PARAMETERS["api"] | OBJECT_PARAMETERS.get(key, {})
    return {name: side.objects[kind].pk for name, kind in spec.items()}


def bodies(side) -> dict:
    """A request that passes validation, so the answer is about permission and scope."""
    from tests.factories import worker_data
    from tests.programs.conftest import program_data

    nik = side.people[0].nik[:12] + "0099"
    return {
        "POST /api/v1/workers": {
            "json": worker_data(
                nik=nik, village_code=side.village, sex="L", birth_date="07/03/1981"
            )
        },
        "PATCH /api/v1/workers/{worker_id}": {"json": {"phone": "081999888777"}},
        "POST /api/v1/workers/duplicates/{pair_id}/merge": {"json": {}},
        "POST /api/v1/workers/duplicates/{pair_id}/dismiss": {"json": {}},
        "POST /api/v1/programs": {"json": program_data(area_code=side.region)},
        "POST /api/v1/programs/{program_id}/enrollments": {"json": {"nik": side.people[1].nik}},
        "POST /api/v1/programs/{program_id}/batches": {"json": {}},
        "POST /api/v1/enrollments/{enrollment_id}/reject": {"json": {"reason": "uji"}},
        "POST /api/v1/enrollments/{enrollment_id}/withdraw": {"json": {"reason": "uji"}},
        "POST /api/v1/billing/programs/{program_id}/runs": {"json": {"month": "2024-02"}},
        "POST /api/v1/billing/bills/{bill_id}/payments": {
            "json": {"paid_on": "2024-02-20", "amount": 1000, "reference": "uji"}
        },
        "GET /api/v1/billing/planner": {
            "query": {"region": side.region, "per_village": 100, "rounds": 1}
        },
        "GET /api/v1/rates/premium": {"query": {"month": "2024-01"}},
        "GET /api/v1/retention": {"query": {"region": side.region}},
        "POST /api/v1/agents": {"json": {"full_name": "Agen Uji", "regency_code": side.region}},
        "POST /api/v1/continuation/{enrollment_id}/contacts": {
            "json": {"outcome": "called", "contacted_on": "2026-11-24"}
        },
        "POST /api/v1/collections": {
            "json": {
                "nik": side.objects["ended"].person.nik,
                "months": ["2026-11"],
                "paid_on": "2026-11-25",
                "method": "cash",
            }
        },
        "GET /api/v1/agents/{agent_id}/fees": {"query": {"month": "2026-11"}},
        "POST /api/v1/employers": {
            "json": {
                "name": "PT Uji Baru",
                "nib": "9" * 12 + ("1" if side.region == "51.04" else "2"),
                "village_code": side.village,
                "sector": "47111",
                "total_workers": 10,
                "registered_workers": 4,
            }
        },
        "PATCH /api/v1/employers/{employer_id}": {"json": {"registered_workers": 6}},
        "POST /api/v1/employers/events": {
            "json": {
                "title": "Sosialisasi Uji",
                "village_code": side.village,
                "employer_ids": [side.objects["employer"].pk],
                "attended_ids": [side.objects["employer"].pk],
            }
        },
        "POST /api/v1/employers/{employer_id}/workers": {
            "json": {"nik": side.objects["worker"].nik}
        },
        "POST /api/v1/employers/{employer_id}/actions": {
            "json": {"kind": "visit", "outcome": "promised", "follow_up_on": "2026-12-10"}
        },
        "POST /api/v1/sync": {
            "json": {
                "device": "6f1c2a9e-3b7d-4e58-9a0c-1d2e3f405162",
                "records": [
                    {
                        "client_id": "0b8e7c55-6a4d-4f3e-8c21-9d0a1b2c3d4e",
                        "kind": "worker.create",
                        "payload": worker_data(
                            nik=nik, village_code=side.village, sex="L", birth_date="07/03/1981"
                        ),  # fmt: skip
                    }
                ],
            }
        },
        "POST /api/v1/enrollments/{enrollment_id}/end": {
            "json": {"cause": "death", "date": "2026-11-01"}
        },
        "POST /api/v1/claims": {
            "json": {
                "nik": side.people[0].nik,
                "kind": "total_disability",
                "event_date": "2024-02-20",
                "reporter_name": "Uji",
            }  # fmt: skip
        },
        "PATCH /api/v1/claims/{claim_id}": {"json": {"documents": ["accident_report"]}},
        "GET /api/v1/reports/inpres": {"query": {"region": side.region, "half": "2026-1"}},
        "GET /api/v1/benefits/estimate": {
            "query": {
                "nik": side.objects["ended"].person.nik,
                "event": "death",
                "date": "2026-08-20",
            }  # fmt: skip
        },
    }


def _request(client, method: str, url: str, **kwargs):
    with transaction.atomic():
        response = getattr(client, method.lower())(url, **kwargs)
        transaction.set_rollback(True)
    return response


def _table(rows: dict) -> str:
    """The actual answers of one role, to compare with the table after a reviewed change."""
    return "\n".join(f"{key}: {cells}" for key, cells in rows.items())


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """Self-paid months are payable relative to today: the world's November 2026."""
    monkeypatch.setattr(clock, "today", lambda: SELFPAY_TODAY)


@pytest.fixture(scope="module")
def schema(world):
    return Client().get("/api/v1/openapi.json").json()


def test_every_url_pattern_has_a_row():
    names = {name for _route, name in url_patterns()}
    assert sorted(names - set(PAGES)) == [], "new pages without a row in PAGES"
    assert sorted(set(PAGES) - names) == [], "rows of pages that no longer exist"


def test_every_api_operation_has_a_row(schema):
    operations = {f"{method} {path}" for method, path in api_operations(schema)}
    assert sorted(operations - set(OPERATIONS)) == [], "new operations without a row"
    assert sorted(set(OPERATIONS) - operations) == [], "rows of operations that no longer exist"


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_pages(world, role):
    user = world.users[role]
    client = Client()
    client.force_login(user)
    column = ROLES.index(role)
    actual, wrong, leaked = {}, [], []
    for route, name in url_patterns():
        statuses = []
        for side in (world.inside, world.outside):
            url = fill(route, arguments(name, side))
            for method in ("GET", "POST"):
                if name == "logout":  # signing out would end the session of the next request
                    client_ = Client()
                    client_.force_login(user)
                else:
                    client_ = client
                response = _request(client_, method, url)
                statuses.append(str(response.status_code))
                if response.status_code == 200:
                    leaked += [
                        f"{method} {url}: {leak}"
                        for leak in leaks(text_of(body_of(response)), user, world)
                    ]
        actual[name] = " ".join(statuses)
        if actual[name] != PAGES[name][column]:
            wrong.append(f"{name}: expected {PAGES[name][column]}, got {actual[name]}")
    assert not leaked, "\n".join(leaked)
    assert not wrong, "\n".join(wrong) + "\n" + _table(actual)


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_api(world, schema, role):
    user = world.users[role]
    client = Client(headers={"Authorization": f"Bearer {world.tokens[role]}"})
    column = ROLES.index(role)
    actual, wrong, leaked = {}, [], []
    for method, path in api_operations(schema):
        key = f"{method} {path}"
        statuses = []
        for side in (world.inside, world.outside):
            url = fill(path, api_arguments(key, side))
            extra = bodies(side).get(key, {})
            kwargs = {"data": extra.get("query", {})}
            if method in ("POST", "PATCH", "PUT"):
                kwargs = {"data": extra.get("json", {}), "content_type": "application/json"}
            response = _request(client, method, url, **kwargs)
            statuses.append(str(response.status_code))
            if response.status_code < 300:
                leaked += [
                    f"{key}: {leak}" for leak in leaks(text_of(body_of(response)), user, world)
                ]
        actual[key] = " ".join(statuses)
        if actual[key] != OPERATIONS[key][column]:
            wrong.append(f"{key}: expected {OPERATIONS[key][column]}, got {actual[key]}")
    assert not leaked, "\n".join(leaked)
    assert not wrong, "\n".join(wrong) + "\n" + _table(actual)


# Pages anybody may open; every other page sends a visitor to the sign-in page.
PUBLIC = {
    "home", "healthz", "metrics", "login", "logout", "set_language", "service-worker", "manifest"
}  # fmt: skip


def test_visitors_are_sent_to_sign_in_and_the_api_wants_a_token(world, schema):
    client = Client()
    for route, name in url_patterns():
        if name in PUBLIC:
            continue
        response = client.get(fill(route, arguments(name, world.inside)))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith("/masuk/"), name
    for method, path in api_operations(schema):
        url = fill(path, api_arguments(f"{method} {path}", world.inside))
        response = getattr(client, method.lower())(url)
        assert response.status_code == 401, f"{method} {path}"


def test_outside_objects_are_never_shown_to_a_regional_user(schema):
    """An invariant the tables must keep: outside its region a user gets no 200, except on
    endpoints without a region's object in the URL (lists filtered by the scope)."""
    routes = {name: route for route, name in url_patterns()}
    # A URL that names an object or a region (a template's kind names neither).
    scoped = [k for k in PAGES if "<" in routes[k].replace("<str:kind>", "")]
    scoped += [k for k in OPERATIONS if "{" in k or k in QUERIED_BY_REGION]
    for key in scoped:
        cells = PAGES.get(key) or OPERATIONS[key]
        for role, cell in zip(ROLES[1:], cells[1:], strict=True):
            statuses = cell.split()
            assert "200" not in statuses[len(statuses) // 2 :], f"{key} for {role}: {cell}"


# The planner takes a region too, but computes from the region list and the rate tables
# (public figures), not from anybody's records: it is scope-free. Retention is counted
# from the region's enrollments.
QUERIED_BY_REGION = {"GET /api/v1/retention"}


def test_the_scan_finds_what_it_looks_for(world, monkeypatch):
    """The scan is only worth its silence if it speaks: a page that showed the birth date
    to an agent, and a body with a worker of another regency, are both caught."""
    from lindung.people import visibility

    agent = world.users[Role.AGENT]
    row = {**visibility.POLICY[Role.AGENT], "birth_date": visibility.Shown.FULL}
    monkeypatch.setitem(visibility.POLICY, Role.AGENT, row)
    client = Client()
    client.force_login(agent)
    man = world.inside.objects["worker"]
    page = text_of(body_of(client.get(f"/pekerja/{man.pk}/")))
    monkeypatch.undo()
    assert any(leak.startswith("rebuildable") for leak in leaks(page, agent, world))
    stranger = world.outside.people[1]
    assert leaks(f"<td>{stranger.full_name}</td>", agent, world) == [
        f"out of scope: {stranger.full_name}"
    ]
