import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ecogov.core import services
from ecogov.core.models import Attachment


def test_attachment_keeps_hash_size_uploader(world):
    entity, staff = world.entity_in("北山县"), world.user("beishan_staff")
    content = b"\xff\xd8\xff\xe0" + "现场检查照片".encode() * 100  # a JPEG by its first bytes
    attachment = services.attachment_add(
        actor=staff, record=entity, uploaded_file=SimpleUploadedFile("照片.jpg", content)
    )
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content) and attachment.uploaded_by == staff
    assert services.attachment_verify(attachment)
    assert entity.events.filter(type="attachment_added").exists()
    with open(attachment.file.path, "ab") as fh:  # tamper with the stored file
        fh.write(b"x")
    assert not services.attachment_verify(attachment)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"0" * 100, "可执行文件"),
        ("report.pdf", b"\x7fELF" + b"0" * 100, "可执行文件"),
        ("run.sh", b"echo hi", "可执行文件"),
        ("big.pdf", b"0" * (1024 * 1024 + 1), "超过上限 1 MB"),
        ("empty.txt", b"", "空文件"),
    ],
)
def test_forbidden_files_are_refused_by_name(world, name, content, fragment):
    entity = world.entity_in("北山县")
    with pytest.raises(ValidationError) as info:
        services.attachment_add(
            actor=world.user("beishan_staff"),
            record=entity,
            uploaded_file=SimpleUploadedFile(name, content),
        )
    message = " ".join(info.value.message_dict["file"])
    assert fragment in message and name in message
    assert not Attachment.objects.filter(object_id=entity.pk).exists()


def test_cannot_attach_to_another_countys_record(world):
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=world.user("beishan_staff"),
            record=world.entity_in("南湖县"),
            uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        )


def test_api_upload_and_list(login, world):
    entity = world.entity_in("北山县")
    client = login("beishan_staff")
    url = f"/api/core/entities/{entity.pk}/attachments/"
    bad = client.post(url, {"file": SimpleUploadedFile("x.bat", b"@echo off")})
    assert bad.status_code == 400 and "可执行文件" in bad.json()["file"][0]
    good = client.post(
        url,
        {"file": SimpleUploadedFile("决定书.pdf", b"%PDF-1.4 demo"), "description": "处罚决定书"},
    )
    assert good.status_code == 201
    listing = client.get(url).json()
    assert [a["original_name"] for a in listing] == ["决定书.pdf"]
    assert login("nanhu_staff").get(url).status_code == 404
