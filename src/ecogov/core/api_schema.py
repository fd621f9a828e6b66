"""What the OpenAPI schema says of every operation beyond its own success (docs/api.md).

Every error the API answers has one shape (core/api_errors.py): a Chinese `detail`, and for
bad input (400) the messages by field. drf-spectacular documents each operation's success;
this hook documents the errors every operation may answer, with that shape, so that a client
generated from the schema — and the contract test (tests/core/test_api_contract.py) — knows
them: bad input, not signed in, not allowed, not found (or outside the user's scope, which
answers the same), and, where a body is sent, a body too large or of a type not accepted.
"""

from __future__ import annotations

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "错误:detail 为中文说明;输入有误(400)时另按字段列出错误信息。",
    "properties": {"detail": {"type": "string", "description": "中文说明"}},
    "required": ["detail"],
    "additionalProperties": True,
}
EVERY_OPERATION = {
    "400": "请求有误:detail 为中文说明,各字段的错误按字段名列出。",
    "401": "未登录,或接口令牌无效、过期、已撤销。",
    "403": "无权进行此操作(角色、只读令牌或数据范围)。",
    "404": "记录不存在,或不在您的数据范围内。",
}
WITH_BODY = {
    "409": "与记录的当前状态冲突。",
    "413": "请求体过大。",
    "415": "不支持的请求内容类型。",
}
METHODS = {"get", "put", "post", "patch", "delete"}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the shared error responses on every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in METHODS:
                continue
            statuses = dict(EVERY_OPERATION)
            if "requestBody" in operation:
                statuses.update(WITH_BODY)
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                responses.setdefault(
                    status,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return result
