"""Acquisitions count as an agent's activity.

The registry and the programs sit below this app and never call it: a worker registered
or a proposal made by an agent's user (their ``agent`` set by ``people.services`` and
``programs.services``) reaches :func:`~lindung.agents.services.note_activity` through
these signals. An import writes with SQL and calls it itself (``imports.services``).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from lindung.agents.services import note_activity
from lindung.people.models import Person
from lindung.programs.models import Enrollment


@receiver(post_save, sender=Person, dispatch_uid="agents_person_acquired")
def person_registered(sender, instance: Person, created: bool, raw=False, **kwargs):
    if created and not raw and instance.agent_id:
        note_activity(instance.agent_id, timezone.localdate(instance.created_at))


@receiver(post_save, sender=Enrollment, dispatch_uid="agents_enrollment_proposed")
def enrollment_proposed(sender, instance: Enrollment, created: bool, raw=False, **kwargs):
    if created and not raw and instance.agent_id:
        note_activity(instance.agent_id, timezone.localdate(instance.proposed_at))
