"""Plain forms (the 办理 pages of every area) in the back office's own widgets.

Django admin styles the forms of a ModelAdmin through unfold's widgets; a page that builds its
own `forms.Form` would render bare browser inputs (issue 10: "borderless inputs"). `themed(form)`
gives every field of such a form the theme's widget of the same kind, keeping its attributes
and choices. The page templates call it (`{{ form|themed }}`), so no form class needs to know.
"""

from __future__ import annotations

from django import forms
from unfold import widgets as w


class _ThemedDateInput(w.UnfoldAdminTextInputWidget):
    """A themed text input of type date / datetime-local, formatted as the browser expects."""

    format = "%Y-%m-%d"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime(self.format)
        return super().format_value(value)


# most specific first: the first base class that matches decides
_THEMED = [
    (forms.CheckboxSelectMultiple, w.UnfoldAdminCheckboxSelectMultipleWidget),
    (forms.RadioSelect, w.UnfoldAdminRadioSelectWidget),
    (forms.NullBooleanSelect, w.UnfoldAdminNullBooleanSelectWidget),
    (forms.SelectMultiple, w.UnfoldAdminSelectMultipleWidget),
    (forms.Select, w.UnfoldAdminSelectWidget),
    (forms.CheckboxInput, w.UnfoldBooleanWidget),
    (forms.Textarea, w.UnfoldAdminTextareaWidget),
    (forms.ClearableFileInput, w.UnfoldAdminFileFieldWidget),
    (forms.FileInput, w.UnfoldAdminFileFieldWidget),
    (forms.PasswordInput, w.UnfoldAdminPasswordWidget),
    (forms.NumberInput, w.UnfoldAdminIntegerFieldWidget),
    (forms.DateInput, _ThemedDateInput),
    (forms.DateTimeInput, _ThemedDateInput),
    (forms.TextInput, w.UnfoldAdminTextInputWidget),
]
_INPUT_TYPES = {forms.DateInput: "date", forms.DateTimeInput: "datetime-local"}
_THEME_WIDGETS = tuple({themed for _plain, themed in _THEMED})


def themed_widget(widget: forms.Widget) -> forms.Widget:
    if isinstance(widget, _THEME_WIDGETS) or isinstance(widget, forms.HiddenInput):
        return widget
    for plain, themed_class in _THEMED:
        if isinstance(widget, plain):
            new = themed_class()
            new.attrs = {
                **new.attrs,
                **widget.attrs,
                "class": f"{new.attrs.get('class', '')} {widget.attrs.get('class', '')}".strip(),
            }
            for kind, input_type in _INPUT_TYPES.items():
                if isinstance(widget, kind):
                    new.input_type = new.attrs["type"] = widget.attrs.get("type", input_type)
                    new.format = "%Y-%m-%d" if input_type == "date" else "%Y-%m-%dT%H:%M"
            if hasattr(widget, "choices"):
                new.choices = widget.choices
            new.is_required = widget.is_required
            return new
    return widget


def themed(form):
    """The form, its fields given the theme's widgets (idempotent)."""
    if form is None or getattr(form, "_ecogov_themed", False):
        return form
    for field in form.fields.values():
        field.widget = themed_widget(field.widget)
    form._ecogov_themed = True
    return form
