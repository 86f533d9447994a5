import pytest


@pytest.fixture(autouse=True)
def _imports_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LINDUNG_IMPORT_BATCH_ROWS = 50_000


@pytest.fixture
def write_file(tmp_path):
    def write(data: bytes, name: str = "pekerja.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
