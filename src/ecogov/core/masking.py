"""Personal data masked outside the roles that need it (phones, ID numbers, natural persons' names)."""

import re

# Not \b: in Chinese text the ID follows a CJK character (号990121…), a word character too.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_phone(value: str) -> str:
    value = value or ""
    if len(value) >= 7:
        return value[:3] + "****" + value[-4:]
    return "*" * len(value)


def mask_id_number(value: str) -> str:
    if not value:
        return value
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_name(value: str) -> str:
    if not value:
        return value
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else "*"


def mask_address(value: str) -> str:
    """The first six characters (province, city, county as a rule) and stars for the rest."""
    if not value:
        return value
    return value[:6] + "*" * min(len(value) - 6, 8) if len(value) > 6 else "*" * len(value)


def mask_text(text: str) -> str:
    """Mask ID card and mobile numbers inside free text (for public disclosure)."""
    text = _ID_RE.sub(lambda m: m.group(1) + "********" + m.group(2), text or "")
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


MASKERS = {
    "phone": mask_phone,
    "id_number": mask_id_number,
    "name": mask_name,
    "address": mask_address,
}


def masked(obj, field: str, kind: str, reveal: bool) -> str:
    value = getattr(obj, field) or ""
    return value if reveal else MASKERS[kind](value)
