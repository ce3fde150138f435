"""Form helpers shared by every app.

Every form of the project uses StyledFormMixin (asserted by qms/lib/tests/test_forms.py), so
the rules on what a user may enter are applied here, once:
- every date lies between EARLIEST and LATEST (01/01/1990 … 31/12/2100);
- every text is cleaned of control characters and put in NFC (qms.lib.text.clean_text);
- every choice of a row by id is a sane id, so a 30-digit id is "not one of the choices",
  never an OverflowError in the database driver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorDict
from django.http import HttpRequest, QueryDict
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from qms.lib.converters import parse_id
from qms.lib.dates import EARLIEST, LATEST
from qms.lib.text import clean_text

F = TypeVar("F", bound=forms.BaseForm)


def validate_sane_date(value: dt.date | None) -> None:
    """Refuse a date outside 01/01/1990 … 31/12/2100 (a typing slip such as 31/12/9999 would
    otherwise sit on every agenda and break the date arithmetic of the plan)."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": f"{EARLIEST:%d/%m/%Y}", "latest": f"{LATEST:%d/%m/%Y}"},
            code="date_out_of_range",
        )


def _cleaning_text(to_python: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def clean_then_convert(value: Any) -> Any:
        return to_python(clean_text(value) if isinstance(value, str) else value)

    return clean_then_convert


def _sane_ids_only(field: forms.ModelChoiceField) -> Callable[[Any], Any]:
    """`field.clean`, refusing as an invalid choice any id that is not a sane one before the
    database sees it (Django checks 'in the list' with a query, and SQLite's driver raises
    OverflowError on an integer past 64 bits)."""
    clean = field.clean

    def clean_sane_ids(value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str) and item not in field.empty_values and not parse_id(item):
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return clean(value)

    return clean_sane_ids


def _has_integer_key(field: forms.ModelChoiceField) -> bool:
    if field.queryset is None:
        return False
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return isinstance(key, models.IntegerField | models.ForeignKey)


def _css(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def _attrs_html(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes them: True alone, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _render_select(
    widget: forms.Select, name: str, value: Any, attrs: Any = None, renderer: Any = None
) -> SafeString:
    """The HTML of Django's select.html and select_option.html, written here rather than
    by the template engine: a drop-down of 30 units cost 30 template includes (the filters
    of the document register spent a tenth of the page on them)."""
    context = widget.get_context(name, value, attrs)["widget"]
    name_html = conditional_escape(context["name"])
    parts = [f'<select name="{name_html}"{_attrs_html(context["attrs"])}>']
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"'
            f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped above)


def _fast_select(widget: forms.Widget) -> None:
    """Render `widget` with _render_select when it uses Django's own select templates."""
    if (
        isinstance(widget, forms.Select)
        and widget.template_name == forms.Select.template_name
        and widget.option_template_name == forms.Select.option_template_name
    ):
        select = widget

        def render(name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
            return _render_select(select, name, value, attrs, renderer)

        widget.render = render  # type: ignore[method-assign]


class StyledFormMixin:
    """Gives every widget its Bootstrap class, so templates render fields plainly, and
    applies the project's input rules (module docstring) to every field — including fields a
    form adds in its own __init__ after this one ran, since the rules are applied when the
    form is cleaned."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {_css(widget)}".strip()
            _fast_select(widget)
            _announce_length(field)
            if isinstance(field, forms.DateField | forms.DateTimeField) and getattr(
                widget, "input_type", ""
            ) in {"date", "datetime-local"}:
                widget.attrs.update(min=EARLIEST.isoformat(), max=LATEST.isoformat())

    def full_clean(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            _apply_rules(field)
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                _mark_invalid(self.fields[name].widget)  # type: ignore[attr-defined]


def _announce_length(field: forms.Field) -> None:
    """A text's limit is shown while typing (static/js/qms.js counts against
    data-maxlength) and enforced by the form with a message naming it. Not by the browser's
    maxlength, which cuts a pasted text short without a word."""
    limit = field.widget.attrs.pop("maxlength", None)
    if limit and isinstance(field, forms.CharField):
        field.widget.attrs["data-maxlength"] = limit


def _mark_invalid(widget: forms.Widget) -> None:
    # Bootstrap's red frame; static/js/qms.js puts the focus on the first one.
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    widget.attrs["aria-invalid"] = "true"


def named_errors(form: forms.BaseForm) -> list[str]:
    """A form's errors as sentences that name their field ("Tiêu đề: Trường này là bắt
    buộc."), for forms posted from a detail page whose errors come back as messages."""
    return [_named(form, name, str(p)) for name, found in form.errors.items() for p in found]


_RULED = "_qms_input_rules"


# A form posted from a record's page comes back to that page through a redirect; what the
# user typed and why it was refused wait in the session for the page to show them again.
_REFUSED = "qms.refused_form"


def keep_refused(
    request: HttpRequest, key: str, form: forms.BaseForm, error: ValidationError | None = None
) -> list[str]:
    """Remember a refused form's values and the reasons (the form's own errors, or the
    service's `error`, whose dict keys name fields) until `refill` shows them again.
    Returns the reasons as sentences naming their field, for the page's messages."""
    problems = {k: [str(e) for e in v] for k, v in form.errors.items()}
    if error is not None:
        named = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for field, messages in named.items():
            where = field if field in form.fields else ""
            problems.setdefault(where, []).extend(messages)
    data = form.data
    values = {k: data.getlist(k) for k in data if k != "csrfmiddlewaretoken"}  # type: ignore[attr-defined]
    request.session[_REFUSED] = {"key": key, "values": values, "problems": problems}
    return [_named(form, name, p) for name, found in problems.items() for p in found]


def _named(form: forms.BaseForm, name: str, problem: str) -> str:
    field = form.fields.get(name)
    return f"{field.label}: {problem}" if field is not None else problem


def refill(request: HttpRequest, key: str, form_class: type[F], **kwargs: Any) -> F | None:
    """The form `keep_refused` kept under `key`, bound to what was typed and showing why it
    was refused; None when nothing waits (the page then builds its blank form)."""
    kept = request.session.get(_REFUSED)
    if not kept or kept.get("key") != key:
        return None
    del request.session[_REFUSED]
    data = QueryDict(mutable=True)
    for name, values in kept["values"].items():
        data.setlist(name, values)
    form = form_class(data, **kwargs)
    form.full_clean()
    form._errors = ErrorDict()  # type: ignore[attr-defined]  # the kept reasons, not a re-check
    for name, messages in kept["problems"].items():
        form.add_error(name or None, list(messages))
        if name in form.fields:
            _mark_invalid(form.fields[name].widget)
    return form


def _apply_rules(field: forms.Field) -> None:
    """Once per field; the fields are this form's own deep copies, so this touches no other
    form."""
    if getattr(field, _RULED, False):
        return
    setattr(field, _RULED, True)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(validate_sane_date)
    elif isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
        # Passwords are taken exactly as typed: cleaning one would change it.
        field.to_python = _cleaning_text(field.to_python)  # type: ignore[method-assign,assignment]
    elif isinstance(field, forms.ModelChoiceField) and _has_integer_key(field):
        field.clean = _sane_ids_only(field)  # type: ignore[method-assign,assignment]


# Rows one formset takes (committee members, records to keep, coordinating units, amendments).
# Django builds as many forms as the posted TOTAL_FORMS says, up to its own cap of 2,000: a
# hand-edited TOTAL_FORMS kept one request busy for half a minute building and re-rendering
# them.
MAX_FORMSET_ROWS = 100


def inline_formset(parent: type[models.Model], model: type[models.Model], **options: Any) -> Any:
    """`inlineformset_factory` with the project's cap on rows: more is refused with a
    message, and no more forms than that are ever built."""
    options.setdefault("max_num", MAX_FORMSET_ROWS)
    options.setdefault("absolute_max", options["max_num"])
    options.setdefault("validate_max", True)
    return forms.inlineformset_factory(parent, model, **options)


def limit_choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Restrict a model choice field to `queryset` (typically: rows of the user's agency), so
    an id of another agency posted by hand is refused as an invalid choice."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
