"""Builders for the offline sync: a batch as the phone sends it."""

import uuid

import pytest
from django.test import Client

from lindung.programs import clock
from tests.factories import TODAY

DEVICE = "2b1f6f0e-8f4a-4c53-9d4e-2a0d3f6c1a77"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record(kind: str, payload: dict, *, base_version=None, client_id=None) -> dict:
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "kind": kind,
        "payload": payload,
        "base_version": base_version,
    }


def send(client, records, *, device=DEVICE):
    response = client.post(
        "/api/v1/sync",
        {"device": device, "device_label": "Android uji", "records": records},
        content_type="application/json",
    )
    return response
