"""Test data builders."""

import datetime as dt

TODAY = dt.date(2026, 11, 25)
PASSWORD = "uji-kata-sandi-2026"


def nik_for(district: str, born: dt.date, sex: str = "L", serial: int = 1) -> str:
    """A valid NIK for a district code like ``51.04.01``."""
    day = born.day + (40 if sex == "P" else 0)
    return f"{district.replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def worker_data(**overrides) -> dict:
    """A valid worker of Desa Batubulan, as a form or the API would send it."""
    data = {
        "nik": nik_for("51.04.01", dt.date(1985, 2, 19), "L", 1),
        "full_name": "I Made Sudarsana",
        "sex": "L",
        "birth_date": "19/02/1985",
        "village_code": "51.04.01.2001",
        "address": "Banjar Kaja",
        "phone": "081234567890",
        "occupation": "Petani",
        "category": "pekerja_rentan",
        "declared_income": "1000000",
        "segment": "BPU",
    }
    data.update(overrides)
    return data
