"""Industry codes (GB/T 4754-2017) and classification-list items, as used in access lists.

An access list names industries by code prefix: "C" covers all manufacturing, "C26" covers
"C2611". Codes are normalised to the lettered form so that "2611" and "C2611" compare equal.
"""

from __future__ import annotations

import re

# Sections (门类) of GB/T 4754-2017 by their two-digit division (大类) ranges. [M] from memory
# of the 2017 edition; checked against no copy of the standard in this session.
_SECTIONS: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
)
_SECTION_OF_DIVISION = {d: s for s, lo, hi in _SECTIONS for d in range(lo, hi + 1)}
_SECTION_LETTERS = frozenset(s for s, _, _ in _SECTIONS)
# A section letter, or (optionally lettered) 2 to 4 digits: division, group, class.
_CODE_RE = re.compile(r"([A-Z]?)(\d{2,4})?")


class CodeError(ValueError):
    """A malformed industry code or list item; the message is Chinese, for the user."""


def normalise_industry(code: object) -> str:
    """Return the lettered form of a GB/T 4754 code or prefix: "2611" -> "C2611", "c26" -> "C26".

    Raises CodeError naming the code when it is malformed or its letter contradicts its division.
    """
    text = str(code).strip().upper() if code is not None else ""
    m = _CODE_RE.fullmatch(text)
    if not text or not m:
        raise CodeError(f"行业代码“{code}”格式不正确（应为 GB/T 4754 代码，如 C2611、C26 或 C）")
    letter, digits = m.group(1), m.group(2)
    if not digits:
        if letter not in _SECTION_LETTERS:
            raise CodeError(f"行业代码“{code}”不是 GB/T 4754 的门类字母（A–T）")
        return letter
    section = _SECTION_OF_DIVISION.get(int(digits[:2]))
    if section is None:
        raise CodeError(f"行业代码“{code}”的大类 {digits[:2]} 不存在于 GB/T 4754-2017")
    if letter and letter != section:
        raise CodeError(f"行业代码“{code}”的门类字母与大类 {digits[:2]} 不符（应为 {section}）")
    return section + digits


def industry_covers(prefix: str, code: str) -> bool:
    """True when the normalised prefix covers the normalised code ("C26" covers "C2611")."""
    return code.startswith(prefix)


def normalise_item(item: object) -> str:
    """A classification-list (分类管理名录) item is matched exactly, as its trimmed text."""
    text = str(item).strip() if item is not None and not isinstance(item, bool) else ""
    if not text:
        raise CodeError(f"名录条目“{item}”为空或格式不正确")
    return text
