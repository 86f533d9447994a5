import pytest

from lindung.accounts.models import Role, User

pytestmark = pytest.mark.django_db

NEW_OPERATOR = {
    "username": "op.celuk",
    "first_name": "Ni Made",
    "last_name": "Celuk",
    "role": "village_operator",
    "region": "51.04.01.2005",
    "password": "desa-celuk-2026",
    "is_active": "on",
}


def test_regency_admin_staffs_own_regency(client, regency_admin):
    client.force_login(regency_admin)
    response = client.post("/pengguna/baru/", NEW_OPERATOR)
    assert response.status_code == 302
    created = User.objects.get(username="op.celuk")
    assert (created.role, created.region_id) == ("village_operator", "51.04.01.2005")
    assert created.check_password("desa-celuk-2026")
    assert "op.celuk" in client.get("/pengguna/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"region": "51.01.01.2001"}, "di luar wilayah kerja Anda"),
        ({"role": "system_admin"}, "tidak boleh memberi peran ini"),
        ({"role": "regency_admin"}, "tidak boleh memberi peran ini"),
        ({"password": "123"}, "Kata sandi"),
        ({"username": ""}, "Nama pengguna wajib diisi"),
        ({"region": ""}, "Pilih wilayah kerja"),
    ],
)
def test_refusals_are_explained(client, regency_admin, changes, message):
    client.force_login(regency_admin)
    response = client.post("/pengguna/baru/", {**NEW_OPERATOR, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="op.celuk").exists()


def test_duplicate_username_is_refused(client, regency_admin, operator):
    client.force_login(regency_admin)
    response = client.post("/pengguna/baru/", {**NEW_OPERATOR, "username": operator.username})
    assert "sudah dipakai" in response.content.decode()


def test_users_of_other_regions_do_not_exist(client, regency_admin, make_user):
    jembrana = make_user("op.jembrana", Role.VILLAGE_OPERATOR, "51.01.01.2001")
    client.force_login(regency_admin)
    assert "op.jembrana" not in client.get("/pengguna/").content.decode()
    assert client.get(f"/pengguna/{jembrana.pk}/").status_code == 404


def test_edit_role_region_and_deactivate(client, regency_admin, operator):
    client.force_login(regency_admin)
    unticked = {k: v for k, v in NEW_OPERATOR.items() if k != "is_active"}
    response = client.post(
        f"/pengguna/{operator.pk}/",
        {
            **unticked,
            "username": "ignored",
            "role": "agent",
            "region": "51.04.01",
            "password": "",
        },
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert (operator.username, operator.role, operator.region_id) == (
        "op.batubulan",
        "agent",
        "51.04.01",
    )
    assert not operator.is_active


def test_a_regency_admin_cannot_edit_a_peer(client, regency_admin, make_user):
    peer = make_user("disnaker.lain", Role.REGENCY_ADMIN, "51.04")
    client.force_login(regency_admin)
    assert client.post(f"/pengguna/{peer.pk}/", NEW_OPERATOR).status_code == 403


def test_operators_and_viewers_cannot_manage_users(client, operator, viewer):
    for user in (operator, viewer):
        client.force_login(user)
        assert client.get("/pengguna/").status_code == 403
        assert client.post("/pengguna/baru/", NEW_OPERATOR).status_code == 403


def test_system_admin_may_create_a_system_admin(client, system_admin):
    client.force_login(system_admin)
    data = {**NEW_OPERATOR, "username": "admin2", "role": "system_admin", "region": ""}
    assert client.post("/pengguna/baru/", data).status_code == 302
    assert User.objects.get(username="admin2").is_superuser
