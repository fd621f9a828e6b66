"""The one upload check (issue 15, failure 9): normalised names, an allow-list per purpose,
content against extension, no active content, zips scanned; attachments leave as downloads."""

import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ecogov.core import services, uploads
from ecogov.core.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40)
PDF = b"%PDF-1.4\n%demo\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(40)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(100)
BATCH = b"@echo off\r\ndel /q C:\\*\r\n"
SCRIPTED_SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SCRIPTED_HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def zipped(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


def docx() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("行政处罚决定书")
    document.save(buffer)
    return buffer.getvalue()


def attach(world, name, content, user="beishan_staff"):
    return services.attachment_add(
        actor=world.user(user),
        record=world.entity_in("北山县"),
        uploaded_file=SimpleUploadedFile(name, content, content_type="application/pdf"),
    )


REFUSED = [
    ("run.bat.", BATCH, "可执行文件"),  # Windows drops the trailing dot: it is run.bat
    ("run.bat ", BATCH, "可执行文件"),
    ("run.bat. . ", BATCH, "可执行文件"),
    ("run\uff0e\uff42\uff41\uff54", BATCH, "可执行文件"),  # full-width ．ｂａｔ, NFKC
    ("page.html", SCRIPTED_HTML, "可执行文件、脚本或网页"),
    ("map.svg", SCRIPTED_SVG, "可执行文件、脚本或网页"),
    ("map.png", SCRIPTED_SVG, "网页或 SVG"),  # an SVG called .png
    ("notes.txt", SCRIPTED_HTML, "网页或 SVG"),
    ("report.pdf", EXE, "可执行文件"),
    ("scan.pdf", PNG, "内容与扩展名“.pdf”不符"),
    ("photo.jpg", PDF, "内容与扩展名“.jpg”不符"),
    ("table.csv", bytes(range(256)), "内容不是文本"),
    ("tools.zip", zipped(**{"tool.exe": EXE}), "压缩包中含有可执行文件、脚本或网页“tool.exe”"),
    ("docs.zip", zipped(**{"a__readme.txt": EXE}), "压缩包中含有可执行文件“a/readme.txt”"),
    ("docs.zip", zipped(**{"run.bat.": BATCH}), "压缩包中含有可执行文件、脚本或网页“run.bat.”"),
    ("docs.zip", zipped(**{"index.html": SCRIPTED_HTML}), "网页"),
    ("deep.zip", zipped(**{"inner.zip": zipped(**{"x.pdf": EXE})}), "可执行文件“x.pdf”"),
    ("fake.zip", b"PK\x03\x04" + bytes(60), "压缩包已损坏"),
    ("report\u202efdp.exe", EXE, "控制字符"),  # right-to-left override hides .exe
    ("con.pdf", PDF, "设备名"),
    ("a:b.pdf", PDF, "不能含有"),
    ("program.apk", b"PK\x03\x04" + bytes(60), "可执行文件"),
    ("archive.rar", b"Rar!\x1a\x07\x00" + bytes(40), "不在允许的类型之内"),
    ("noextension", PDF, "不在允许的类型之内"),
]


@pytest.mark.parametrize(("name", "content", "fragment"), REFUSED)
def test_attachment_refused_by_name_and_content(world, name, content, fragment):
    with pytest.raises(ValidationError) as info:
        attach(world, name, content)
    message = " ".join(info.value.message_dict["file"])
    assert fragment in message, message
    assert message.startswith("文件“")  # names the field (文件) and the file
    assert not Attachment.objects.filter(object_id=world.entity_in("北山县").pk).exists()


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("现场照片.jpg", JPEG, "image/jpeg"),
        ("平面图.PNG", PNG, "image/png"),
        ("执法记录仪.mp4", MP4, "video/mp4"),
        ("决定书.pdf", PDF, "application/pdf"),
        (
            "决定书.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("材料.zip", zipped(**{"a.pdf": PDF, "照片__1.jpg": JPEG}), "application/zip"),
        ("说明.txt", "现场检查说明,GB 18030 编码".encode("gb18030"), "text/plain"),
    ],
)
def test_ordinary_files_are_kept_with_the_type_of_their_content(world, name, content, media_type):
    attachment = attach(world, name, content)
    assert attachment.original_name == name
    # what the client claimed (application/pdf) does not count
    assert attachment.media_type == media_type


def test_the_name_kept_is_the_normalised_one(world):
    attachment = attach(world, "决定书\uff0epdf. ", PDF)
    assert attachment.original_name == "决定书.pdf"
    assert attachment.file.name.endswith("/决定书.pdf")


@pytest.mark.parametrize(
    ("purpose", "name", "content", "ok"),
    [
        ("ledger", "台账.xlsx", zipped(**{"[Content_Types].xml": b"<Types/>"}), True),
        ("ledger", "台账.csv", b"a,b\n", False),
        ("ledger", "台账.xlsx", SCRIPTED_HTML, False),
        ("monitoring", "小时数据.csv", "站点,时间\n".encode(), True),
        ("monitoring", "小时数据.csv", SCRIPTED_HTML, False),
        ("geodata", "units.geojson", b'{"type": "FeatureCollection"}', True),
        ("geodata", "units.geojson", SCRIPTED_SVG, False),
        ("anchor", "anchor.json", b"{}", True),
        ("anchor", "anchor.exe", EXE, False),
    ],
)
def test_each_purpose_has_its_own_allow_list(purpose, name, content, ok):
    upload = SimpleUploadedFile(name, content)
    if ok:
        assert uploads.check_upload(upload, purpose=purpose).name == name
    else:
        with pytest.raises(ValidationError):
            uploads.check_upload(upload, purpose=purpose)


def test_a_ledger_import_refuses_a_web_page_called_xlsx(login, world):
    page = SimpleUploadedFile("企业台账.xlsx", SCRIPTED_HTML)
    response = login("leader").post("/api/core/entities/import/", {"file": page})
    assert response.status_code == 400
    assert "台账文件“企业台账.xlsx”" in str(response.json())


def test_an_air_quality_upload_refuses_a_web_page_called_csv(login, world):
    page = SimpleUploadedFile("data.csv", SCRIPTED_HTML)
    response = login("leader").post("/api/airquality/imports/", {"file": page})
    assert response.status_code == 400, response.content
    assert "监测数据文件“data.csv”" in str(response.json())


def test_the_back_office_form_refuses_a_zip_holding_a_program(login, world):
    entity = world.entity_in("北山县")
    client = login("beishan_staff")
    url = f"/admin/core/regulatedentity/{entity.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    prefix = "core-attachment-content_type-object_id"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-file": SimpleUploadedFile("材料.zip", zipped(**{"setup.exe": EXE})),
            f"{prefix}-0-description": "材料",
        }
    )
    response = client.post(url, data)
    assert "压缩包中含有可执行文件、脚本或网页“setup.exe”" in response.content.decode()
    assert not Attachment.objects.filter(object_id=entity.pk).exists()


# --- downloads ---------------------------------------------------------------------------------
def test_admin_download_is_an_attachment_with_nosniff(login, world):
    attachment = attach(world, "决定书.pdf", PDF)
    assert attachment.file.url == f"/admin/attachments/{attachment.pk}/download/"
    response = login("beishan_staff").get(attachment.file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('决定书.pdf')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_download_of_another_countys_attachment_is_not_found(login, world):
    attachment = attach(world, "决定书.pdf", PDF)
    assert login("nanhu_staff").get(attachment.file.url).status_code == 404
    assert (
        login("nanhu_staff").get(f"/admin/attachments/{attachment.pk + 999}/download/").status_code
        == 404
    )


def test_api_lists_a_download_link_that_serves_the_file(login, world):
    attachment = attach(world, "现场照片.jpg", JPEG)
    entity = world.entity_in("北山县")
    client = login("beishan_staff")
    listing = client.get(f"/api/core/entities/{entity.pk}/attachments/").json()
    link = listing[0]["download"]
    assert link == f"/api/core/attachments/{attachment.pk}/download/"
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert login("nanhu_staff").get(link).status_code == 404
