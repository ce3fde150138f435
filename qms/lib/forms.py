"""Form helpers shared by every app."""

from typing import Any

from django import forms


class StyledFormMixin:
    """Gives every widget its Bootstrap class, so templates render fields plainly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def limit_choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Restrict a model choice field to `queryset` (typically: rows of the user's agency), so
    an id of another agency posted by hand is refused as an invalid choice."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
