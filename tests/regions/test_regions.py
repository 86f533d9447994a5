import pytest
from django.core.management import call_command

from lindung.accounts.picker import picked_code, picker_levels
from lindung.regions import codes
from lindung.regions.models import Region
from lindung.regions.selectors import children_of, path_to, villages_under
from lindung.regions.services import load_official_regions

pytestmark = pytest.mark.django_db


def test_the_whole_country_is_loaded_with_kinds():
    assert Region.objects.count() == len(codes.official_codes())
    assert Region.objects.get(code="51").kind == "provinsi"
    gianyar = Region.objects.get(code="51.04")
    assert (gianyar.name, gianyar.kind, gianyar.display_name) == (
        "Kabupaten Gianyar",
        "kabupaten",
        "Kab. Gianyar",
    )
    assert Region.objects.get(code="51.71").kind == "kota"  # Kota Denpasar
    batubulan = Region.objects.get(code="51.04.01.2001")
    assert (batubulan.kind, batubulan.parent_id, batubulan.display_name) == (
        "desa",
        "51.04.01",
        "Desa Batubulan",
    )


def test_the_article_numbers_of_bali():
    bali = Region.objects.filter(code__startswith="51.")
    assert bali.filter(level=2).count() == 9
    assert bali.filter(level=3).count() == 57
    villages = bali.filter(level=4)
    assert villages.count() == 716
    assert villages.filter(kind="desa").count() == 636
    assert villages.filter(kind="kelurahan").count() == 80
    gianyar = villages_under("51.04")
    assert gianyar.filter(kind="desa").count() == 64
    assert gianyar.filter(kind="kelurahan").count() == 6
    assert Region.objects.filter(parent_id="51.04").count() == 7
    jembrana = villages_under("51.01")
    assert (jembrana.filter(kind="desa").count(), jembrana.filter(kind="kelurahan").count()) == (
        41,
        10,
    )


def test_loading_again_is_idempotent():
    before = dict(Region.objects.values_list("code", "name"))
    result = load_official_regions()
    assert result.total == Region.objects.count() == len(before)
    assert dict(Region.objects.values_list("code", "name")) == before


def test_command(capsys):
    call_command("regions", "load")
    assert "wilayah dimuat" in capsys.readouterr().out


def test_hierarchy_reads():
    assert children_of("").filter(code="51").exists()
    assert [r.code for r in path_to("51.04.01.2001")] == [
        "51",
        "51.04",
        "51.04.01",
        "51.04.01.2001",
    ]


def test_picker_for_a_village_operator_is_locked_to_the_village(operator):
    levels = picker_levels(operator, "")
    assert [lv.value for lv in levels] == ["51", "51.04", "51.04.01", "51.04.01.2001"]
    assert all(lv.locked for lv in levels)
    assert picked_code(levels, village_only=True) == "51.04.01.2001"


def test_picker_for_a_regency_admin_opens_below_the_regency(regency_admin):
    levels = picker_levels(regency_admin, "51.04.01")
    assert [lv.locked for lv in levels] == [True, True, False, False]
    assert levels[-1].value == ""  # the village is still to be chosen
    assert picked_code(levels, village_only=True) == ""
    assert picked_code(levels, village_only=False) == "51.04.01"
    # Outside the scope falls back to the scope itself.
    assert picker_levels(regency_admin, "51.01.01")[1].value == "51.04"


def test_picker_page_renders_next_level(client, regency_admin):
    client.force_login(regency_admin)
    html = client.get("/wilayah/pilih/", {"selected": "51.04.01"}).content.decode()
    assert "Batubulan" in html and 'name="village_code"' in html
