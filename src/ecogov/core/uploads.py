"""One check for every file the system accepts (issue 15, failure 9; docs/security.md, "上传与下载").

`check_upload(upload, purpose=…)` runs before any file is kept or parsed, from every door
(back office, API, import): it

1. normalises the name (`normalise_name`): Unicode NFKC (a full-width "．ｂａｔ" is ".bat"),
   trailing dots and spaces stripped (Windows drops them, so "run.bat." and "run.bat " *are*
   run.bat), and refuses control and format characters (a right-to-left override hides the real
   extension), path parts, characters Windows forbids and the device names (CON, NUL, …);
2. allows only the extensions of the purpose (`PURPOSES`): an attachment may be a document,
   an image, a recording or a zip, a ledger import only .xlsx, and so on;
3. checks the content against the extension by its magic bytes (the `filetype` package, plus
   the Office 97 container it lacks): a .pdf must begin as a PDF, a .jpg as a JPEG; a text
   format must be text;
4. refuses active content whatever it is called: executables (PE, ELF, Mach-O, scripts with
   "#!"), HTML and SVG (a browser runs their script), and a zip holding any of them (each
   member's name and first bytes are read, nested zips too, without unpacking to disk).

It returns an `Inspected` (the normalised name and the media type by content, never the one the
client claimed), or raises `ValidationError({field: …})` with a Chinese message naming the field,
the file and the problem. Downloads leave through `ecogov.core.downloads.attachment_response`
(Content-Disposition: attachment, X-Content-Type-Options: nosniff).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- what each purpose accepts ------------------------------------------------------------------
# extension → (kind of check, media type). Kinds: a filetype name set, "ole" (Office 97-2003
# container), "zip" (a plain archive, scanned), "office" (OOXML/ODF/OFD, a zip, scanned), "text".
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TYPES: dict[str, tuple[object, str]] = {
    ".pdf": ({"pdf"}, "application/pdf"),
    ".doc": ("ole", "application/msword"),
    ".xls": ("ole", "application/vnd.ms-excel"),
    ".ppt": ("ole", "application/vnd.ms-powerpoint"),
    ".wps": ("ole", "application/vnd.ms-works"),  # WPS 文字
    ".et": ("ole", "application/vnd.ms-excel"),  # WPS 表格
    ".docx": ("office", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("office", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": (
        "office",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ".odt": ("office", "application/vnd.oasis.opendocument.text"),
    ".ods": ("office", "application/vnd.oasis.opendocument.spreadsheet"),
    ".ofd": ("office", "application/ofd"),  # GB/T 33190 版式文档 (a zip)
    ".rtf": ({"rtf"}, "application/rtf"),
    ".txt": ("text", "text/plain"),
    ".csv": ("text", "text/csv"),
    ".json": ("text", "application/json"),
    ".geojson": ("text", "application/geo+json"),
    ".jpg": ({"jpg"}, "image/jpeg"),
    ".jpeg": ({"jpg"}, "image/jpeg"),
    ".png": ({"png", "apng"}, "image/png"),
    ".gif": ({"gif"}, "image/gif"),
    ".bmp": ({"bmp"}, "image/bmp"),
    ".tif": ({"tif"}, "image/tiff"),
    ".tiff": ({"tif"}, "image/tiff"),
    ".webp": ({"webp"}, "image/webp"),
    ".heic": ({"heic", "avif"}, "image/heic"),
    ".mp3": ({"mp3"}, "audio/mpeg"),
    ".wav": ({"wav"}, "audio/wav"),
    ".m4a": ({"m4a", "mp4"}, "audio/mp4"),
    ".amr": ({"amr"}, "audio/amr"),
    ".aac": ({"aac"}, "audio/aac"),
    # phones and body cameras write MP4/QuickTime/3GP: the ftyp brands overlap, accept any
    ".mp4": ({"mp4", "m4v", "mov", "3gp"}, "video/mp4"),
    ".mov": ({"mov", "mp4", "m4v"}, "video/quicktime"),
    ".3gp": ({"3gp", "mp4"}, "video/3gpp"),
    ".avi": ({"avi"}, "video/x-msvideo"),
    ".wmv": ({"wmv"}, "video/x-ms-wmv"),
    ".mkv": ({"mkv", "webm"}, "video/x-matroska"),
    ".flv": ({"flv"}, "video/x-flv"),
    ".mpg": ({"mpg"}, "video/mpeg"),
    ".zip": ("zip", "application/zip"),
}

DOCUMENTS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et")
DOCUMENTS += (".odt", ".ods", ".ofd", ".rtf", ".txt", ".csv")
IMAGES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic")
RECORDINGS = (".mp3", ".wav", ".m4a", ".amr", ".aac", ".mp4", ".mov", ".3gp", ".avi", ".wmv")
RECORDINGS += (".mkv", ".flv", ".mpg")

# purpose → (the extensions it allows, what the message calls such a file)
PURPOSES: dict[str, tuple[tuple[str, ...], object]] = {
    "attachment": (DOCUMENTS + IMAGES + RECORDINGS + (".zip",), gettext_lazy("文件")),
    "ledger": ((".xlsx",), gettext_lazy("台账文件")),
    "monitoring": ((".csv", ".xlsx"), gettext_lazy("监测数据文件")),
    "geodata": ((".geojson", ".json"), gettext_lazy("地理数据文件")),
    "rules": ((".json",), gettext_lazy("规则文件")),
    "anchor": ((".json",), gettext_lazy("锚点文件")),
}

# Never allowed, inside a zip either: programs, scripts, shortcuts and active documents.
ACTIVE_EXTENSIONS = frozenset(
    ".exe .dll .com .bat .cmd .scr .msi .msp .pif .cpl .jar .js .jse .mjs .vbs .vbe .wsf .wsh"
    " .ps1 .psm1 .psd1 .sh .bash .zsh .csh .py .pyc .pyw .pl .rb .php .phtml .asp .aspx .jsp"
    " .hta .lnk .url .reg .inf .apk .elf .so .dylib .app .deb .rpm .gadget .application .chm"
    " .html .htm .xhtml .shtml .mht .mhtml .svg .svgz .xsl .xslt .swf .docm .xlsm .pptm"
    " .dotm .xltm .xlam .ppam .sct .ws .msh .iso .img .vhd .vhdx".split()
)
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")
_EXECUTABLE_MAGIC += (b"\xfe\xed\xfa\xcf", b"\xfe\xed\xfa\xce", b"\xca\xfe\xba\xbe", b"dex\n")
_EXECUTABLE_KINDS = frozenset({"exe", "elf", "swf", "wasm", "crx", "nes", "deb", "rpm"})
# markup a browser would run, at the start of a text (after a BOM and blanks or an XML prolog)
_MARKUP = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|meta|a\s)",
    re.IGNORECASE | re.DOTALL,
)
_ACTIVE_TEXT = re.compile(rb"<script|<svg|javascript:|<iframe|<object|<embed", re.IGNORECASE)
_WINDOWS_FORBIDDEN = set('<>:"|?*')
_DEVICE_NAMES = {"con", "prn", "aux", "nul"} | {
    f"{d}{n}" for d in ("com", "lpt") for n in range(10)
}
MAX_NAME = 150  # characters; the stored path adds 80 (attachments/ab/<sha256>/) to the 255
MAX_MEMBERS = 10_000  # entries a zip may have
MAX_DEPTH = 3  # zips within zips
HEAD = 8192  # bytes read for the magic numbers


@dataclass(frozen=True)
class Inspected:
    name: str  # normalised
    media_type: str  # by content and extension


class Refused(Exception):
    """An upload refused; `problem` is the Chinese reason after the file's name."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def normalise_name(raw: str) -> str:
    """The name as Windows would store it, or Refused."""
    name = unicodedata.normalize("NFKC", raw or "")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in name):
        raise Refused(_("文件名含有控制字符或不可见的格式字符。"))
    if "/" in name or "\\" in name:
        raise Refused(_("文件名不能含有路径(/ 或 \\)。"))
    name = name.strip().rstrip(". ").strip()
    if any(c in _WINDOWS_FORBIDDEN for c in name):
        raise Refused(_('文件名不能含有 < > : " | ? * 这些字符。'))
    if not name or name in (".", ".."):
        raise Refused(_("文件名为空。"))
    if len(name) > MAX_NAME:
        raise Refused(_("文件名超过 %(max)d 个字符。") % {"max": MAX_NAME})
    if name.split(".")[0].strip().lower() in _DEVICE_NAMES:
        raise Refused(_("文件名是 Windows 的设备名。"))
    return name


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def _is_executable(head: bytes, kind: str | None) -> bool:
    if head.startswith(_EXECUTABLE_MAGIC) or kind in _EXECUTABLE_KINDS:
        return True
    return head.startswith(b"#!") and not head.startswith(b"#!AMR")  # AMR audio begins "#!AMR"


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 4:  # a character cut at the end of the head
                return True
            continue
        return True
    return False


def _scan_zip(fh, depth: int, *, office: bool) -> None:
    """Refuse a zip that holds active content; `office`: the container of a document, whose
    parts may be pictures in SVG (Word's own) but never programs."""
    try:
        archive = zipfile.ZipFile(fh)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused(_("压缩包已损坏,无法检查其中的文件。")) from None
    if len(members) > MAX_MEMBERS:
        raise Refused(_("压缩包中的文件超过 %(max)d 个。") % {"max": MAX_MEMBERS})
    for info in members:
        if info.is_dir():
            continue
        try:
            member = normalise_name(PurePosixPath(info.filename.replace("\\", "/")).name)
        except Refused as exc:
            raise Refused(
                _("压缩包中的“%(member)s”:%(problem)s")
                % {"member": info.filename, "problem": exc.problem}
            ) from None
        suffix = _suffix(member)
        if suffix in ACTIVE_EXTENSIONS and not (office and suffix in (".svg", ".xml")):
            raise Refused(
                _("压缩包中含有可执行文件、脚本或网页“%(member)s”。") % {"member": info.filename}
            )
        if info.flag_bits & 0x1:
            raise Refused(_("压缩包中的“%(member)s”已加密,无法检查。") % {"member": info.filename})
        try:
            with archive.open(info) as part:
                head = part.read(HEAD)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise Refused(
                _("压缩包中的“%(member)s”无法读取。") % {"member": info.filename}
            ) from None
        kind = filetype.guess_extension(head) if head else None
        if _is_executable(head, kind):
            raise Refused(_("压缩包中含有可执行文件“%(member)s”。") % {"member": info.filename})
        if not office and _MARKUP.match(head):
            raise Refused(_("压缩包中含有网页或 SVG“%(member)s”。") % {"member": info.filename})
        if head.startswith(b"PK\x03\x04") or kind == "zip":
            if info.file_size > settings.ECOGOV_MAX_UPLOAD_MB * 1024 * 1024:
                raise Refused(
                    _("压缩包中的压缩包“%(member)s”解压后过大,无法检查。")
                    % {"member": info.filename}
                )
            if depth >= MAX_DEPTH:
                raise Refused(_("压缩包嵌套超过 %(max)d 层。") % {"max": MAX_DEPTH})
            with archive.open(info) as part:
                _scan_zip(io.BytesIO(part.read()), depth + 1, office=False)


def inspect(name: str, fh, *, purpose: str) -> Inspected:
    """Check a file (its name and a seekable binary `fh`) for `purpose`; Refused if it fails."""
    allowed, _label = PURPOSES[purpose]
    name = normalise_name(name)
    suffix = _suffix(name)
    fh.seek(0)
    head = fh.read(HEAD)
    fh.seek(0)
    kind = filetype.guess_extension(head) if head else None
    if suffix in ACTIVE_EXTENSIONS or _is_executable(head, kind):
        raise Refused(_("是可执行文件、脚本或网页,不允许上传。"))
    if suffix not in allowed:
        raise Refused(
            _("扩展名“%(suffix)s”不在允许的类型之内(允许:%(allowed)s)。")
            % {"suffix": suffix or _("无"), "allowed": " ".join(allowed)}
        )
    check, media_type = TYPES[suffix]
    if _MARKUP.match(head):
        raise Refused(_("内容是网页或 SVG(可含脚本),不允许上传。"))
    if check == "text":
        if not _is_text(head):
            raise Refused(_("内容不是文本,与扩展名“%(suffix)s”不符。") % {"suffix": suffix})
        if _ACTIVE_TEXT.search(head):
            raise Refused(_("内容含有脚本或网页标记,不允许上传。"))
    elif check == "ole":
        if not head.startswith(_OLE):
            raise Refused(_("内容与扩展名“%(suffix)s”不符。") % {"suffix": suffix})
    elif check in ("zip", "office"):
        if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise Refused(_("内容与扩展名“%(suffix)s”不符。") % {"suffix": suffix})
        _scan_zip(fh, 1, office=check == "office")
        fh.seek(0)
    elif kind not in check:
        raise Refused(_("内容与扩展名“%(suffix)s”不符。") % {"suffix": suffix})
    return Inspected(name=name, media_type=media_type)


def check_content(name: str, data: bytes | str, *, purpose: str, field: str = "file") -> Inspected:
    """`check_upload` for a file already read into memory (the services that take bytes)."""
    content = data.encode() if isinstance(data, str) else bytes(data)
    upload = io.BytesIO(content)
    upload.name, upload.size = name, len(content)
    return check_upload(upload, purpose=purpose, field=field)


def check_upload(upload, *, purpose: str = "attachment", field: str = "file") -> Inspected:
    """`inspect` an uploaded file (size included); ValidationError({field: message}) if refused.

    The message names the kind of file the field takes ("附件", "台账文件"…), the file and the
    problem."""
    _allowed, label = PURPOSES[purpose]
    shown = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    limit = settings.ECOGOV_MAX_UPLOAD_MB * 1024 * 1024
    try:
        if size is not None and size > limit:
            raise Refused(
                _("大小为 %(size).1f MB,超过上限 %(limit)d MB。")
                % {"size": size / 1048576, "limit": settings.ECOGOV_MAX_UPLOAD_MB}
            )
        if size == 0:
            raise Refused(_("是空文件。"))
        return inspect(shown, upload, purpose=purpose)
    except Refused as exc:
        raise ValidationError(
            {
                field: _("%(label)s“%(name)s”%(problem)s")
                % {"label": label, "name": shown, "problem": exc.problem}
            }
        ) from None
