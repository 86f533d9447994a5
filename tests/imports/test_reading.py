"""Files as they really come: any header spelling, order, delimiter, encoding, format."""

import pytest

from lindung.imports.columns import header_key, map_headers
from lindung.imports.reading import FileRefused, read_table
from tests.imports.files import row, to_csv, to_xlsx


def test_header_spellings_map_to_fields():
    headers = ["NIK", "Nama Lengkap", "Jenis Kelamin (L/P)", "Tanggal Lahir", "kode desa",
               "Alamat", "No. HP", "PEKERJAAN", "Kategori*", "Penghasilan (Rp)", "No"]  # fmt: skip
    mapped = map_headers(headers)
    assert set(mapped.fields) == {
        "nik", "full_name", "sex", "birth_date", "village_code", "address", "phone",
        "occupation", "category", "declared_income",
    }  # fmt: skip
    assert mapped.unknown == [] and mapped.duplicated == []
    assert header_key(" Tanggal  Lahir (dd/mm/yyyy) ") == "tanggal_lahir"


def test_english_headers_in_another_order_without_optional_columns():
    english = ["category", "income", "name", "sex", "birth_date", "village_code", "occupation",
               "nik"]  # fmt: skip
    cells = row()
    data = to_csv(
        [{k: cells[k] for k in ["kategori", "penghasilan", "nama", "jenis_kelamin",
                                "tanggal_lahir", "kode_desa", "pekerjaan", "nik"]}],
        header=english,
    )  # fmt: skip
    table = read_table(data, "x.csv")
    assert table.frame.row(0, named=True)["nik"] == cells["nik"]
    assert "address" not in table.frame.columns


@pytest.mark.parametrize("separator", [",", ";"])
@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_delimiters_and_encodings(separator, encoding, bom):
    data = to_csv(
        [row(nama="Ni Luh Putu Andrés", alamat="Jl. Raya, No. 5")],
        separator=separator,
        encoding=encoding,
        bom=bom,
    )
    table = read_table(data, "x.csv")
    cells = table.frame.row(0, named=True)
    assert cells["full_name"] == "Ni Luh Putu Andrés"
    assert cells["address"] == "Jl. Raya, No. 5"
    assert table.details["delimiter"] == separator
    assert table.details["encoding"] == ("windows-1252" if encoding == "cp1252" else "utf-8")


def test_row_numbers_skip_blank_rows_and_flag_ragged_ones():
    data = (
        b"nik,nama,jenis_kelamin,tanggal_lahir,kode_desa,pekerjaan,kategori,penghasilan\r\n"
        b"5104011902850001,I Made,L,19/02/1985,51.04.01.2001,Petani,pekerja_rentan,1000000\r\n"
        b",,,,,,,\r\n"
        b"5104011902850002,I Made,L,19/02/1985,51.04.01.2001,Petani,pekerja_rentan,1000000,x\r\n"
    )
    table = read_table(data, "x.csv")
    assert table.frame.get_column("row").to_list() == [2, 4]
    assert table.frame.get_column("ragged").to_list() == [False, True]


def test_xlsx_with_instructions_sheet_first_picks_the_data_sheet():
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    book.add_worksheet("Petunjuk").write_row(0, 0, ["Isi lembar berikutnya"])
    sheet = book.add_worksheet("Data")
    cells = row()
    sheet.write_row(0, 0, list(cells))
    sheet.write_row(1, 0, list(cells.values()))
    book.close()
    table = read_table(buffer.getvalue(), "x.xlsx")
    assert table.details["sheet"] == "Data"
    assert table.frame.height == 1


@pytest.mark.parametrize(
    "data,name,code",
    [
        (b"", "x.csv", "file_empty"),
        (b"nik,nama,jenis_kelamin,tanggal_lahir,kode_desa,pekerjaan,kategori,penghasilan\r\n",
         "x.csv", "file_empty"),
        (b"nik,nama\r\n1,2\r\n", "x.csv", "column_missing"),
        (b"nik,nik,nama,jenis_kelamin,tanggal_lahir,kode_desa,pekerjaan,kategori,penghasilan\n1,"
         b"1,a,L,x,y,z,k,1\n", "x.csv", "column_duplicate"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.xls", "file_xls"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "file_xlsx_broken"),
    ],
)  # fmt: skip
def test_files_refused_as_a_whole(data, name, code):
    with pytest.raises(FileRefused) as refused:
        read_table(data, name)
    assert refused.value.code == code


def test_missing_village_column_is_fine_with_a_default_village():
    cells = row()
    del cells["kode_desa"]
    with pytest.raises(FileRefused):
        read_table(to_csv([cells]), "x.csv")
    assert read_table(to_csv([cells]), "x.csv", village_given=True).frame.height == 1


def test_xlsx_cells_stay_text():
    data = to_xlsx([row()], cell_types={"nik": "number", "tanggal_lahir": "date"})
    cells = read_table(data, "x.xlsx").frame.row(0, named=True)
    assert cells["nik"] == row()["nik"]
    assert cells["birth_date"].startswith("1985-02-19")
