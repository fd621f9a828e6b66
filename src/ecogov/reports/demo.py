"""示例市's reports: the shipped outlines and the 2020 narratives of the seed summary."""

from __future__ import annotations

from django.contrib.auth.models import User
from simple_history.utils import bulk_create_with_history

from . import builtin
from .demo_texts import NARRATIVES_2020
from .models import Narrative, Outline

DEMO_YEAR = 2020


def build() -> None:
    builtin.install_current()
    outline = Outline.objects.get(name=builtin.SUMMARY)
    if Narrative.objects.filter(section__outline=outline, year=DEMO_YEAR).exists():
        return
    legal = User.objects.filter(username="legal").first()
    sections = {s.heading: s for s in outline.sections.all()}
    rows = [
        Narrative(section=sections[heading], year=DEMO_YEAR, text=text, updated_by=legal)
        for heading, text in NARRATIVES_2020.items()
    ]
    bulk_create_with_history(rows, Narrative, default_user=legal)
