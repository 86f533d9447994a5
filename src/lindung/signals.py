"""Signals every app may send, so that a lower app can say what it did without knowing
who listens (the layering runs one way: see ``docs/architecture.md``).

``records_changed`` is sent by the services that change many records in one go — an
import job, a billing run, the insurer's activations, the end of sponsorships, and the
like — once their work is written (inside their transaction or after it). Figures derived
from those records (the coverage summary) listen and bring themselves up to date, in the
background, when the transaction commits. ``sender`` is the service's module name.
"""

from django.dispatch import Signal

records_changed = Signal()
