"""File downloads: every export, dossier and report leaves through these (issue 16).

The file name goes into Content-Disposition by Django's `content_disposition_header`
(RFC 6266): a plain ASCII name as `filename="…"`, any other (a Chinese report title) as
RFC 5987 `filename*=utf-8''…` with the name percent-encoded, which every current browser reads.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
TEXT = "text/plain; charset=utf-8"

# `stamp=`: the local time the file was made, appended to its name ("entities-202605141030")
TO_THE_MINUTE = "%Y%m%d%H%M"
TO_THE_DAY = "%Y%m%d"


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """`content` as a download named `filename` (extension included)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_response(attachment) -> FileResponse:
    """An uploaded file, streamed: always a download (`Content-Disposition: attachment`, RFC 6266
    `filename*` for a Chinese name) with `X-Content-Type-Options: nosniff`, so a browser never
    renders it in the site's origin whatever it holds (docs/security.md, "上传与下载")."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# what a stored result may be: an export's workbook, a report's document or workbook
STORED_TYPES = {".xlsx": XLSX, ".docx": DOCX}


def stored_file_response(path: str, filename: str) -> FileResponse:
    """A file the product wrote to the default storage (a job's export or report), streamed as a
    download with `nosniff`, its type by its name; Http404 if the storage no longer has it."""
    from django.core.files.storage import default_storage
    from django.http import Http404

    try:
        handle = default_storage.open(path, "rb")
    except OSError:
        raise Http404 from None
    kind = STORED_TYPES.get(filename[filename.rfind(".") :].lower(), "application/octet-stream")
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stamped(name: str, stamp: str = "") -> str:
    """`name`, followed by "-" and the local time in the `stamp` format if one is given."""
    if not stamp:
        return name
    return f"{name}-{timezone.localtime().strftime(stamp)}"


def xlsx_response(content: bytes, name: str, *, stamp: str = "") -> HttpResponse:
    """An .xlsx workbook's bytes as `name`.xlsx (`name`-<local time>.xlsx with a `stamp`)."""
    return file_response(content, f"{stamped(name, stamp)}.xlsx", XLSX)
