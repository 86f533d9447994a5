import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def write_file(tmp_path):
    def write(data: bytes, name: str = "pekerja.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
