"""An Atom feed per list (Django's syndication framework): the newest records the list's
filters select, each linking to its page on the portal."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from . import filters as portal_filters
from .lists import by_key
from .values import cell_text

FEED_ITEMS = 50


def _moment(value) -> dt.datetime | None:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time(9)))
    return None


class ListFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, key):
        public = by_key(key)
        if public is None:
            raise Http404
        chosen = portal_filters.parse(request.GET, portal_filters.divisions())
        rows = [public.row(r) for r in public.records(**chosen.query())[:FEED_ITEMS]]
        return public, rows

    def title(self, obj):
        return f"{settings.ECOGOV_BUREAU_NAME} · {obj[0].title}"

    def subtitle(self, obj):
        return str(obj[0].intro)

    def link(self, obj):
        return reverse("portal-list", args=[obj[0].key])

    def items(self, obj):
        public, rows = obj
        return [(public, row) for row in rows]

    def item_title(self, item):
        return cell_text(item[1].get("title"))

    def item_description(self, item):
        public, row = item
        return "\n".join(
            f"{h}:{cell_text(row.get(k))}"
            for h, k in public.columns
            if row.get(k) not in (None, "")
        )

    def item_link(self, item):
        return reverse("portal-record", args=[item[0].key, item[1]["id"]])

    def item_guid(self, item):
        return f"ecogov-portal:{item[0].key}:{item[1]['id']}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return _moment(item[1].get(item[0].date))

    def item_updateddate(self, item):
        return _moment(item[1].get(item[0].date))
