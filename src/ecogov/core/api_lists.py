"""How every API list is paged and ordered (docs/api.md, "Lists").

By page number by default (`?page=3`, `?page_size=100`, at most 500), with the total `count`:
what a person's client shows. With `?paging=cursor` the list is walked by cursor instead:
each answer links the next (`next`, an opaque `cursor`), there is no count, and a deep page
costs what the first does — what another system pulling a whole ledger (the province's
platform, every permit) should use: no row is skipped or read twice when records are added
meanwhile. The cursor follows the list's order (`?ordering=`, else the model's own), with
the primary key to break ties.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import filters
from rest_framework.pagination import CursorPagination, PageNumberPagination

from ecogov.core.fields import EncryptedCharField

MAX_PAGE_SIZE = 500


class _Cursor(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_cursor_message = _("游标无效:请使用上一页响应中 next 或 previous 给出的链接。")

    def __init__(self, page_size: int):
        self.page_size = page_size

    def get_ordering(self, request, queryset, view):
        """The list's own order — the ordering filter's, else the query's or the model's — as
        far as it is by the model's own plain fields (a cursor holds the last row's values),
        then the key, which makes every position unique."""
        ordering: tuple = ()
        for backend in getattr(view, "filter_backends", []):
            if hasattr(backend, "get_ordering"):
                ordering = tuple(backend().get_ordering(request, queryset, view) or ())
                break
        ordering = (
            ordering or tuple(queryset.query.order_by) or tuple(queryset.model._meta.ordering)
        )
        kept = []
        for term in ordering:
            if not isinstance(term, str) or not _plain_field(queryset.model, term.lstrip("-")):
                break  # what follows a term that cannot be kept would not order the same
            kept.append(term)
        if not any(term.lstrip("-") in ("pk", "id") for term in kept):
            kept.append("-pk" if kept and kept[-1].startswith("-") else "pk")
        return tuple(kept)


def _plain_field(model, name: str) -> bool:
    if name in ("pk", "id"):
        return True
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - an annotation or unknown name: not a plain field
        return False
    # personal data is stored encrypted: its order is not the values' (core/fields.py)
    return field.concrete and not field.is_relation and not isinstance(field, EncryptedCharField)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    mode_query_param = "paging"
    invalid_page_message = _("页码无效。")

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = None
        if (
            request.query_params.get(self.mode_query_param) == "cursor"
            or self.cursor_query_param in request.query_params
        ):
            self.cursor = _Cursor(self.get_page_size(request) or self.page_size)
            return self.cursor.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.cursor is not None:
            return self.cursor.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["results"]  # `count` only when paged by number
        page["properties"]["count"]["description"] = str(_("记录总数(按页码分页时)"))
        return page

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.mode_query_param,
                "required": False,
                "in": "query",
                "description": str(_("cursor:按游标分页(无总数,适合逐页拉取全部记录)")),
                "schema": {"type": "string", "enum": ["cursor"]},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(_("游标:取自上一页响应的 next 或 previous 链接")),
                "schema": {"type": "string"},
            },
        ]


class Ordering(filters.OrderingFilter):
    """`?ordering=-received_on,pk`: any field of the list's records, as the serializer reads
    it, except personal data (stored encrypted, its order is not the values')."""

    ordering_description = _("排序字段,逗号分隔,前加“-”为倒序,如 ordering=-received_on")

    def get_default_valid_fields(self, queryset, view, context=None):
        fields = super().get_default_valid_fields(queryset, view, context or {})
        model = queryset.model

        def encrypted(source: str) -> bool:
            try:
                return isinstance(model._meta.get_field(source), EncryptedCharField)
            except Exception:  # noqa: BLE001 - a path across relations: not personal data here
                return False

        return [(source, label) for source, label in fields if not encrypted(source)]
