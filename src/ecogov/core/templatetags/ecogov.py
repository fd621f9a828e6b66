from django import template

from ecogov.core.forms import themed as _themed

register = template.Library()


@register.filter
def themed(form):
    """`{{ form|themed }}`: the page's own form in the back office's widgets (core.forms)."""
    return _themed(form)
