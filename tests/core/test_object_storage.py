"""Attachments and uploaded import files in an S3-compatible object store (issue 14;
docs/deploy.md, ECOGOV_S3_BUCKET): stored, checked and read back through Django's storage API,
never by a path on the disk, so that several application servers and workers share them.

Against moto's in-process S3 (the S3 API MinIO answers) with django-storages' S3Storage, the
backend the setting names."""

from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from ecogov.core import jobs, services
from ecogov.core.models import Job, JobState, RegulatedEntity

from .test_jobs import _ledger

BUCKET = "ecogov-files"


@pytest.fixture
def bucket(settings):
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "testing",
                    "secret_key": "testing",
                    "addressing_style": "path",
                    "signature_version": "s3v4",
                    "default_acl": None,
                    "file_overwrite": False,
                },
            },
        }
        yield s3


def _keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _on_disk(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_attachment_is_kept_checked_and_downloaded_from_the_bucket(
    bucket, login, world, settings
):
    entity = world.entity_in("北山县")
    content = b"%PDF-1.4\n" + "整改报告".encode() * 200
    attachment = services.attachment_add(
        actor=world.user("beishan_staff"),
        record=entity,
        uploaded_file=SimpleUploadedFile("整改报告.pdf", content),
    )
    assert _keys(bucket) == [attachment.file.name] and not _on_disk(settings)
    assert services.attachment_verify(attachment)

    response = login("beishan_staff").get(attachment.file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
    assert login("nanhu_staff").get(attachment.file.url).status_code == 404

    # changed in the store behind the system's back: the hash check sees it
    bucket.put_object(Bucket=BUCKET, Key=attachment.file.name, Body=content + b"x")
    assert not services.attachment_verify(attachment)


def test_an_import_file_waits_in_the_bucket_for_its_worker(bucket, world, settings):
    settings.ECOGOV_JOBS_ENQUEUE_ON_COMMIT = True  # queued at a commit that never comes: by hand
    job = jobs.job_start_import(
        actor=world.user("beishan_staff"),
        target="core.regulatedentity",
        title="导入排污单位",
        upload=_ledger(1, 3),
    )
    assert _keys(bucket) == [job.source] and not _on_disk(settings)
    assert jobs.run_job(str(job.id)) == JobState.SUCCEEDED  # what a worker on any machine runs
    assert RegulatedEntity.objects.filter(name__startswith="后台导入公司").count() == 3
    assert Job.objects.get(pk=job.pk).counts["created"] == 3
    assert _keys(bucket) == []  # the file goes once its rows are in


def test_a_backup_says_the_attachments_are_in_the_store_and_holds_the_database(
    bucket, world, settings, tmp_path, monkeypatch
):
    """The store's own versioning and replication keep its files (docs/deploy.md): the archive
    holds the database, and says so, rather than an empty media/ that looks like no files."""
    from ecogov.core import backup

    from .test_backup import _small_dump

    monkeypatch.setattr(backup, "_dump_database", _small_dump)
    services.attachment_add(
        actor=world.user("beishan_staff"),
        record=world.entity_in("北山县"),
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 in the bucket"),
    )
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    Path(settings.MEDIA_ROOT, "stray.pdf").write_bytes(b"%PDF not an attachment")
    result = backup.create_backup(destination=tmp_path / "b.tar")
    assert result.manifest["attachments"] == "object_storage"
    assert set(result.manifest["members"]) == {result.manifest["database"]["member"]}
    assert "附件在对象存储中" in str(result) and "附件在对象存储中" in backup.describe(
        result.manifest
    )
