"""Unified social credit code (统一社会信用代码, GB 32100-2015). Pure module.

docs/procedures.md §5: 18 characters from a 31-character set, the last a mod-31 check character.
"""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, …
# Letters people type by mistake for the digits they resemble.
_LOOKALIKES = {"O": "0", "I": "1", "Z": "2", "S": "5", "V": "U"}


class CreditCodeError(ValueError):
    def __init__(self, message: str, position: int | None = None) -> None:
        self.position = position
        super().__init__(message)


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def validate(code: str) -> str:
    """Return the normalised code, or raise CreditCodeError naming the position that is wrong."""
    code = normalise(code)
    if len(code) != 18:
        raise CreditCodeError(f"统一社会信用代码应为18位,实际为{len(code)}位。")
    for position, char in enumerate(code, start=1):
        if char not in _VALUE:
            hint = f"(是否应为“{_LOOKALIKES[char]}”?)" if char in _LOOKALIKES else ""
            raise CreditCodeError(
                f"统一社会信用代码第{position}位“{char}”不是允许的字符{hint};"
                "允许的字符为数字和除 I、O、S、V、Z 外的大写字母。",
                position,
            )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(
            f"统一社会信用代码第18位(校验码)错误:按前17位计算应为“{expected}”,实际为“{code[17]}”。"
            "请核对前17位是否有误录。",
            18,
        )
    return code


def make(prefix17: str) -> str:
    """Complete 17 characters with their check character (demo data and tests)."""
    prefix17 = normalise(prefix17)
    return prefix17 + check_character(prefix17)
