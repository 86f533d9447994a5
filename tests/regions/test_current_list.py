"""The current Kemendagri list, the old code → new code table, and records that follow a
region to its new code (Kab. Merauke ``91.01`` → ``93.01`` when Papua Selatan was made)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from lindung.accounts.models import Role
from lindung.people.nik import check_nik, region_note
from lindung.people.services import register_worker
from lindung.regions import codes
from lindung.regions.models import CodeChange, Region
from lindung.regions.services import load_official_regions
from lindung.sync.selectors import nik_prefixes
from tests.factories import TODAY, nik_for, worker_data

pytestmark = pytest.mark.django_db

MERAUKE_OLD, MERAUKE = "91.01", "93.01"


def test_the_current_list_has_38_provinces_and_merauke_in_papua_selatan():
    levels = {level: Region.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert levels == {1: 38, 2: 514, 3: 7285, 4: 83762}
    papua = Region.objects.filter(code__in=["93", "94", "95", "96"])
    papua = dict(papua.values_list("code", "name"))
    assert papua == {
        "93": "Papua Selatan",
        "94": "Papua Tengah",
        "95": "Papua Pegunungan",
        "96": "Papua Barat Daya",
    }
    merauke = Region.objects.get(code=MERAUKE)
    assert (merauke.name, merauke.parent_id, merauke.display_name) == (
        "Kabupaten Merauke",
        "93",
        "Kab. Merauke",
    )
    assert not Region.objects.filter(code=MERAUKE_OLD).exists()


def test_the_change_table_maps_old_codes_to_new_ones():
    assert CodeChange.objects.count() == len(codes.code_changes())
    merauke = CodeChange.objects.get(old_code=MERAUKE_OLD)
    assert (merauke.new_code, merauke.old_name, merauke.new_name, merauke.level) == (
        MERAUKE,
        "KAB. MERAUKE",
        "Kabupaten Merauke",
        2,
    )
    assert merauke.source == codes.CURRENT_SOURCE
    moved_regencies = dict(
        CodeChange.objects.filter(level=2).exclude(new_code="").values_list("old_code", "new_code")
    )
    assert moved_regencies["92.71"] == "96.71"  # Kota Sorong → Papua Barat Daya
    assert moved_regencies["91.02"] == "95.01"  # Jayawijaya → Papua Pegunungan
    assert {new[:2] for new in moved_regencies.values()} == {"93", "94", "95", "96"}
    assert len(moved_regencies) == 26
    # Bali's codes did not change: the fixtures of every other test stay as they are.
    assert not CodeChange.objects.filter(old_code__startswith="51.").exists()
    assert CodeChange.objects.get(old_code="91.01.01").new_code == "93.01.01"


def _old_merauke_village() -> codes.CodeChange:
    return next(
        c for c in codes.code_changes() if c.old_code.startswith("91.01.01.") and c.new_code
    )


def _make_former_regions(*changes: codes.CodeChange) -> None:
    """A database loaded before 2022: the former codes of Merauke down to one village."""
    former = {r.code: r.name for r in codes.former_codes()}
    wanted = {a for c in changes for a in codes.ancestors(c.old_code)}
    for code in sorted(wanted):
        level = codes.level_of(code)
        kind = {1: "provinsi", 2: "kabupaten", 3: "kecamatan"}.get(level) or codes.village_kind(
            code
        )
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": former[code],
                "level": level,
                "kind": kind,
                "parent_id": codes.parent_of(code),
            },
        )


def test_a_second_load_changes_nothing():
    before = list(Region.objects.values_list("code", "name", "level", "kind", "parent_id"))
    result = load_official_regions()
    assert not result.changed
    assert (result.added, result.renamed, result.moved, result.removed) == (0, 0, 0, 0)
    assert result.records_moved == {}
    assert list(Region.objects.values_list("code", "name", "level", "kind", "parent_id")) == before


def test_upgrading_a_database_of_the_former_list_moves_regions_and_their_records(make_user):
    village = _old_merauke_village()
    _make_former_regions(village)
    Region.objects.filter(code="51.04").update(name="KAB. GIANYAR")  # the former spelling
    Region.objects.filter(code="51.04.01").update(name="Sukawati Lama")  # a real rename
    Region.objects.create(code="51.04.01.9999", name="Hilang", level=4, kind="desa",
                          parent_id="51.04.01")  # fmt: skip
    nik = nik_for("91.01.01", dt.date(1985, 2, 19))
    person = register_worker(
        user=None, data=worker_data(nik=nik, village_code=village.old_code), today=TODAY
    )
    assert person.district_code == "91.01.01"
    regency_admin = make_user("admin.merauke", Role.REGENCY_ADMIN, MERAUKE_OLD)

    out = io.StringIO()
    call_command("regions", "load", stdout=out)
    report = out.getvalue()

    person.refresh_from_db()
    assert person.village_id == village.new_code
    assert (person.district_code, person.regency_code, person.province_code) == (
        "93.01.01",
        MERAUKE,
        "93",
    )
    assert person.nik == nik  # a NIK keeps its prefix for life
    regency_admin.refresh_from_db()
    assert regency_admin.region_id == MERAUKE
    assert not Region.objects.filter(code__in=["91.01", "91.01.01", village.old_code]).exists()
    assert Region.objects.filter(code="91").exists()  # Papua itself kept its code
    assert not Region.objects.filter(code="51.04.01.9999").exists()  # gone, unused: removed
    assert Region.objects.get(code="51.04").name == "Kabupaten Gianyar"

    # The move is in the worker's history, through the command.
    last = person.history.order_by("-history_id").first()
    assert (last.village_id, last.history_type, last.history_via) == (
        village.new_code,
        "~",
        "command",
    )
    assert last.history_via_detail == "lindung regions load"

    # The report: counts and a sample of each kind.
    assert "Pindah kode: 3" in report
    assert f"91.01 KAB. MERAUKE → {MERAUKE} Kabupaten Merauke" in report
    assert "Ganti nama: 1" in report and "51.04.01 Sukawati Lama → Sukawati" in report
    assert "Penulisan nama diperbarui: 2" in report  # Gianyar, and Papua ("PAPUA")
    assert "51.04 KAB. GIANYAR → Kabupaten Gianyar" in report
    assert "Dihapus (tidak ada lagi, tidak dipakai): 1" in report
    assert "people.Person 1" in report and "accounts.User 1" in report
    assert "lindung coverage rebuild" in report

    # And again: nothing left to do.
    out = io.StringIO()
    call_command("regions", "load", stdout=out)
    assert "Tidak ada perubahan" in out.getvalue()
    assert person.history.count() == 2


def test_a_region_gone_from_the_list_but_still_used_is_kept():
    gone = next(c for c in codes.code_changes() if c.level == 4 and not c.new_code)
    _make_former_regions(gone)
    person = register_worker(
        user=None,
        data=worker_data(
            nik=nik_for(gone.old_code[:8], dt.date(1985, 2, 19)), village_code=gone.old_code
        ),
        today=TODAY,
    )
    result = load_official_regions()
    assert result.kept >= 1 and any(gone.old_code in s for s in result.samples["kept"])
    person.refresh_from_db()
    assert person.village_id == gone.old_code
    assert Region.objects.filter(code=gone.old_code).exists()


def test_a_nik_with_an_old_prefix_is_valid_and_named_with_its_region_today():
    result = check_nik(nik_for("91.01.01", dt.date(1985, 2, 19)), today=TODAY)
    assert result.valid and result.errors == [] and result.warnings == []
    assert (result.district_code, result.regency_code, result.province_code) == (
        "93.01.01",
        MERAUKE,
        "93",
    )
    assert result.issued_district_code == "91.01.01"
    assert result.as_json()["issued_district_code"] == "91.01.01"
    assert region_note(result) == (
        "Kode wilayah NIK 91.01.01 adalah kode lama; wilayahnya sekarang 93.01.01 "
        "(Merauke, Kabupaten Merauke, Papua Selatan)."
    )
    # A current prefix says nothing more.
    today = check_nik(nik_for("93.01.01", dt.date(1985, 2, 19)), today=TODAY)
    assert today.valid and today.issued_district_code is None and region_note(today) == ""
    assert "issued_district_code" not in today.as_json()


def test_the_nik_command_names_the_region_today():
    out = io.StringIO()
    call_command("nik", "check", nik_for("91.01.01", dt.date(1985, 2, 19)), stdout=out)
    text = out.getvalue()
    assert "SAH" in text and "wilayah 93.01.01" in text and "kode lama" in text


def test_the_offline_scope_carries_the_old_prefixes_of_a_district():
    assert nik_prefixes("93.01.01.2001") == ["930101", "910101"]
    assert nik_prefixes("51.04.01.2001") == ["510401"]
