"""Today's date for requests. Services take ``today`` as a parameter; pages and the API ask
here, so tests can freeze the date in one place (``monkeypatch.setattr(clock, "today", …)``)."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
