"""Operational records."""

from django.conf import settings
from django.db import models


class RecentWrite(models.Model):
    """When a user last wrote: their reads stay on the primary for a while after
    (``lindung.operations.replica``), so they see what they have just done."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, primary_key=True, related_name="+"
    )
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M:%S}"
