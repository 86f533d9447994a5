"""The map: outlines loaded from a boundary file (GeoJSON, TopoJSON) and from the demo's
generated set, drawn inline as SVG with a legend, a title and a link per region."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from lindung.accounts.models import Role
from lindung.dashboards import choropleth
from lindung.demo.boundaries import demo_boundaries, load_demo_boundaries
from lindung.maps import geometry, services
from lindung.maps.models import RegionBoundary
from lindung.regions.models import Region

pytestmark = pytest.mark.django_db
DAY = "2024-07-25"


def square(code, x, y, size=0.01, **extra):
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {
        "type": "Feature",
        "properties": {"kode_wilayah": code, **extra},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


@pytest.fixture
def client_for():
    def sign_in(user):
        client = Client()
        client.force_login(user)
        return client

    return sign_in


def test_the_demo_set_covers_every_district_and_village_of_the_demo_regencies():
    report = load_demo_boundaries()
    assert report.ok, report.problems
    for regency in ("51.01", "51.04"):
        below = Region.objects.filter(code__startswith=f"{regency}.").count()
        stored = RegionBoundary.objects.filter(region_code__startswith=f"{regency}.").count()
        assert stored == below > 0
    # Loading it again changes nothing.
    again = load_demo_boundaries()
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.features)


def test_a_wrong_feature_refuses_the_whole_file_with_its_reasons(regency_admin):
    data = collection(
        square("51.04.01.2001", 115.0, -8.5),
        square("51.99.99.9999", 115.1, -8.5),
        square("51.01.01.2001", 115.2, -8.5),
        {"type": "Feature", "properties": {"kode": "51.04.01.2002"}, "geometry": None},
        {"type": "Feature", "properties": {}, "geometry": None},
        square("51.04.01.2001", 115.3, -8.5),
    )
    report = services.load_boundaries(user=regency_admin, data=data, source="uji")
    codes = [(p.feature, p.code) for p in report.problems]
    assert codes == [
        (2, "region_unknown"),
        (3, "region_out_of_scope"),
        (4, "geometry_invalid"),
        (5, "code_missing"),
        (6, "duplicate_in_file"),
    ]
    assert "51.99.99.9999" in report.problems[0].message
    assert not RegionBoundary.objects.exists()
    with pytest.raises(services.BoundaryFileRefused) as refused:
        services.load_boundaries(user=None, data=b"{not json", source="uji")
    assert refused.value.code == "file_unreadable"
    with pytest.raises(services.BoundaryFileRefused) as refused:
        services.load_boundaries(user=None, data=b'{"type": "Point"}', source="uji")
    assert refused.value.code == "format_unknown"


def test_topojson_with_quantised_arcs_and_undotted_codes_is_read():
    # Two squares sharing an edge: arc 0 is the shared edge, used backwards by the second.
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.001, 0.001], "translate": [115.0, -8.6]},
        "arcs": [
            [[10, 0], [0, 10]],  # (115.010, -8.600) → (115.010, -8.590)
            [[10, 10], [-10, 0], [0, -10], [10, 0]],  # left square's other three sides
            [[10, 0], [10, 0], [0, 10], [-10, 0]],  # right square's other three sides
        ],
        "objects": {
            "desa": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"KDEPUM": "5104012001"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "properties": {"KDEPUM": "5104012002"}},
                ],
            }
        },
    }
    report = services.load_boundaries(user=None, data=json.dumps(topology).encode(), source="topo")
    assert report.ok and report.created == 2
    left = RegionBoundary.objects.get(region_code="51.04.01.2001")
    assert (left.min_lon, left.max_lon) == (115.0, 115.01)
    assert left.level == 4 and left.parent_code == "51.04.01"
    right = RegionBoundary.objects.get(region_code="51.04.01.2002")
    assert (right.min_lon, right.max_lon) == (115.01, 115.02)


def test_outlines_are_simplified_when_loaded():
    # A square whose sides carry a hundred nearly collinear points each.
    side = [[115.0 + i / 10000, -8.5 + (i % 2) * 0.000001] for i in range(100)]
    ring = [*side, [115.01, -8.49], [115.0, -8.49], side[0]]
    assert len(geometry.simplify([[ring]])[0][0]) == 4


def test_the_command_loads_a_file_and_reports_problems(tmp_path, capsys):
    good = tmp_path / "batas.geojson"
    good.write_bytes(collection(square("51.04.01.2001", 115.0, -8.5, nama="Batubulan")))
    call_command("boundaries", "load", str(good))
    assert "1 wilayah: 1 baru" in capsys.readouterr().out
    bad = tmp_path / "salah.geojson"
    bad.write_bytes(collection(square("99.99", 115.0, -8.5)))
    with pytest.raises(CommandError, match="Tidak ada yang disimpan"):
        call_command("boundaries", "load", str(bad))
    assert "region_unknown" in capsys.readouterr().err


def test_the_regency_page_draws_its_districts_and_villages(gianyar, viewer, client_for):
    load_demo_boundaries(("51.04",))
    client = client_for(viewer)
    html = client.get(f"/dasbor/51.04/?tanggal={DAY}").content.decode()
    svg = re.search(r'<svg class="chart peta".*?</svg>', html, re.S).group(0)
    assert svg.count("<path") == Region.objects.filter(parent_id="51.04").count() == 7
    # A link to the drill-down and a title with the name and the figure, per region.
    assert '<a href="/dasbor/51.04.01/?tanggal=2024-07-25" data-kode="51.04.01">' in svg
    assert re.search(r"<title>Kec\. Sukawati: [^<]*</title>", svg)
    # The legend: the class breaks, each with its count of regions.
    assert "target tercapai (" in svg and "tanpa angka (" in svg
    # The villages come with their table.
    fragment = client.get(f"/dasbor/51.04/desa/?tanggal={DAY}").content.decode()
    villages = re.search(r'<svg class="chart peta".*?</svg>', fragment, re.S).group(0)
    assert villages.count("<path") == 70
    assert 'href="/dasbor/51.04.01.2001/?tanggal=2024-07-25"' in villages
    # Coloured by coverage when asked.
    by_rate = client.get(f"/dasbor/51.04/?tanggal={DAY}&peta=cakupan").content.decode()
    assert "Diwarnai menurut tingkat cakupan" in by_rate and "≥ 50% (" in by_rate


def test_without_boundaries_the_map_says_so(gianyar, viewer, client_for):
    html = client_for(viewer).get(f"/dasbor/51.04/?tanggal={DAY}").content.decode()
    assert 'id="peta-kosong-kecamatan"' in html
    assert "batas wilayah belum dimuat" in html
    assert 'class="chart peta"' not in html


def test_a_district_map_of_its_villages_and_the_scope(gianyar, make_user, client_for):
    load_demo_boundaries()
    operator_region = make_user("camat", Role.VIEWER, "51.04.01")
    html = client_for(operator_region).get(f"/dasbor/51.04.01/?tanggal={DAY}").content.decode()
    svg = re.search(r'<svg class="chart peta".*?</svg>', html, re.S).group(0)
    assert svg.count("<path") == Region.objects.filter(parent_id="51.04.01").count()
    assert "51.01" not in svg
    assert client_for(operator_region).get("/dasbor/51.04/").status_code == 404


def test_class_breaks():
    bands = choropleth.target_bands()
    assert [choropleth.band_of(v, bands).label for v in (0, 49, 50, 80, 100, 250)] == [
        "di bawah 50% target",
        "di bawah 50% target",
        "50–79% target",
        "80–99% target",
        "target tercapai",
        "target tercapai",
    ]
    assert choropleth.band_of(None, bands) is None
    assert choropleth.band_of(55, choropleth.coverage_bands()).label == "≥ 50%"


def test_demo_boundaries_are_generated_from_the_region_table():
    features = demo_boundaries(("51.04",))["features"]
    codes = {f["properties"]["kode_wilayah"] for f in features}
    assert "51.04" in codes and "51.04.01.2001" in codes
    assert len(codes) == len(features) == 1 + 7 + 70


def test_the_regency_admin_loads_a_file_on_the_page(regency_admin, viewer, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(regency_admin)
    page = client.get("/peta/batas/")
    assert page.status_code == 200 and "belum ada" in page.content.decode()
    good = collection(square("51.04.01.2001", 115.0, -8.5), square("51.04.01", 115.0, -8.5, 0.1))
    answer = client.post("/peta/batas/", {"file": SimpleUploadedFile("batas.geojson", good)})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "2 wilayah dimuat: 2 baru" in html and "1 kecamatan, 1 desa/kelurahan" in html
    # Outside the admin's regency: refused, row by row, nothing saved.
    bad = collection(square("51.01.01.2001", 115.0, -8.5), square("51.04.01.2002", 115.0, -8.5))
    answer = client.post("/peta/batas/", {"file": SimpleUploadedFile("b.geojson", bad)})
    assert answer.status_code == 422
    assert "region_out_of_scope" in answer.content.decode()
    assert not RegionBoundary.objects.filter(region_code="51.04.01.2002").exists()
    answer = client.post("/peta/batas/", {"file": SimpleUploadedFile("c.json", b"[1, 2")})
    assert answer.status_code == 422 and "file_unreadable" in answer.content.decode()
    # The viewer may not load.
    assert client_for(viewer).get("/peta/batas/").status_code == 403
