"""Search choosers: a choice among many rows (people, legal texts, documents) that the page
does not list. The form shows a search box and the value already chosen; typing asks an
endpoint (HTMX) for the rows that match, at most CHOICES_SHOWN of them, as radio buttons (or
check boxes for a multiple choice). So a page costs the same whether the agency has 5 people or
500, and the form still posts without JavaScript for the value already chosen.

- In the form: `search_chooser(form, "person", url)` after the field's queryset is limited to
  the agency (`limit_choices`): validation stays the ModelChoiceField's, so an id of another
  agency is still an invalid choice.
- In the endpoint: `ChooserQuery.from_request(request)` then `find(query, rows, fields)` (two
  queries whatever the rows: the searched texts, then the rows shown) and
  `render_choices(request, query, found, label)`.

The match folds diacritics and case like the site search (qms.lib.search): "ng van a" finds
"Nguyễn Văn An". Each chooser's endpoint receives the field's name and the values checked
now (hx-include of the chooser), so what the user chose stays offered, and checked, while
they search again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString, mark_safe

from qms.lib.converters import parse_id
from qms.lib.search import MAX_QUERY_CHARS, terms

CHOICES_SHOWN = 20
# The search box of a chooser is posted as "<field name>__search"; no form has such a field.
SEARCH_SUFFIX = "__search"
_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")
CHOICES_TEMPLATE = "includes/chooser_choices.html"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool = False


def _ids(values: Sequence[Any]) -> list[int]:
    return list(dict.fromkeys(i for i in (parse_id(str(v)) for v in values) if i is not None))


class SearchChooser(forms.Widget):
    """The widget of a ModelChoiceField (radio buttons) or ModelMultipleChoiceField (check
    boxes) whose choices are found by search. `choices` is the field's ModelChoiceIterator
    (Django sets it with the queryset); only the rows already chosen are read, in one query,
    and none when nothing is chosen."""

    template_name = "includes/chooser.html"

    def __init__(self, url: str, *, multiple: bool = False, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.url = url
        self.multiple = multiple
        self.choices: Any = ()

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple and isinstance(data, MultiValueDict | QueryDict):
            return data.getlist(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # An unchecked radio or check box is not posted at all: that is "nothing chosen".
        return False

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def chosen(self, values: list[str]) -> list[Choice]:
        ids = _ids(values)
        iterator = self.choices
        if not ids or not hasattr(iterator, "queryset"):
            return []
        label = iterator.field.label_from_instance
        rows = iterator.queryset.filter(pk__in=ids)
        return [Choice(str(row.pk), str(label(row)), checked=True) for row in rows]

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        params = {"name": name, **({"multiple": "1"} if self.multiple else {})}
        if not self.is_required and not self.multiple:
            params["optional"] = "1"
        widget.update(
            url=f"{self.url}{'&' if '?' in self.url else '?'}{urlencode(params)}",
            search_name=name + SEARCH_SUFFIX,
            choices_id=f"{widget['attrs'].get('id') or name}-choices",
            field_name=name,
            multiple=self.multiple,
            optional=not self.is_required and not self.multiple,
            choices=self.chosen(widget["value"]),
        )
        return context

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        # The project's template directory, which the default form renderer does not search.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def id_for_label(self, id_: str) -> str:
        return id_


def search_chooser(form: forms.BaseForm, name: str, url: str) -> None:
    """Make field `name` of `form` a search chooser asking `url` (an endpoint built on
    `find`/`render_choices`). Call it after the field's queryset and `required` are set."""
    old = form.fields[name]
    assert isinstance(old, forms.ModelChoiceField)
    multiple = isinstance(old, forms.ModelMultipleChoiceField)
    widget = SearchChooser(url, multiple=multiple, attrs={"class": "form-control"})
    widget.is_required = old.required
    widget.choices = old.choices
    old.widget = widget


@dataclass(frozen=True)
class ChooserQuery:
    """What a chooser asks its endpoint: the field's name, the text typed, the values checked
    now, and whether it is a multiple or optional choice."""

    name: str
    text: str
    chosen: list[int] = field(default_factory=list)
    multiple: bool = False
    optional: bool = False
    # A row the form does not offer (the legal text itself, the document itself).
    exclude: int | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> ChooserQuery:
        """Read from the query string; a name that is not a form field's name is replaced
        by "choice", so the fragment never echoes arbitrary text as an input name."""
        get = request.GET
        name = get.get("name", "")
        name = name if _NAME.fullmatch(name) else "choice"
        text = get.get(name + SEARCH_SUFFIX, get.get("q", ""))[:MAX_QUERY_CHARS]
        multiple = get.get("multiple") == "1"
        chosen = _ids(get.getlist(name))
        return cls(
            name=name,
            text=text,
            chosen=chosen if multiple else chosen[:1],
            multiple=multiple,
            optional=get.get("optional") == "1" and not multiple,
            exclude=parse_id(get.get("exclude")),
        )


@dataclass
class Found:
    """The rows of one answer: those chosen now (still offered, checked), then at most
    CHOICES_SHOWN others that match, and how many more match beyond them."""

    chosen: list[Any]
    rows: list[Any]
    more: int


def _matcher(text: str) -> Callable[[Sequence[Any]], bool]:
    wanted = terms(text)

    def matches(values: Sequence[Any]) -> bool:
        if not wanted:
            return True
        return wanted.found_in(" ".join(str(v) for v in values if v))

    return matches


def find(
    query: ChooserQuery, rows: QuerySet[Any], fields: Sequence[str], shown: int = CHOICES_SHOWN
) -> Found:
    """Rows of `rows` (already limited to the agency, in the order they are offered) whose
    `fields` together hold each word typed (the last, a prefix). Two queries whatever the
    number of rows: the searched fields of every row (folded here, as the site search folds),
    then the rows shown and the rows chosen, with whatever `rows` selects."""
    matches = _matcher(query.text)
    if query.exclude is not None:
        rows = rows.exclude(pk=query.exclude)
    chosen = set(query.chosen)
    hits: list[int] = []
    total = 0
    for pk, *values in rows.values_list("pk", *fields):
        if pk in chosen or not matches(values):
            continue
        total += 1
        if len(hits) < shown:
            hits.append(pk)
    by_pk: Mapping[int, Any] = {row.pk: row for row in rows.filter(pk__in=[*hits, *chosen])}
    return Found(
        chosen=[by_pk[pk] for pk in query.chosen if pk in by_pk],
        rows=[by_pk[pk] for pk in hits if pk in by_pk],
        more=total - len(hits),
    )


def render_choices(
    request: HttpRequest, query: ChooserQuery, found: Found, label: Callable[[Model], str]
) -> HttpResponse:
    """The fragment that replaces a chooser's choices."""
    choices = [Choice(str(row.pk), str(label(row)), checked=True) for row in found.chosen]
    choices += [Choice(str(row.pk), str(label(row))) for row in found.rows]
    context = {
        "choices": choices,
        "field_name": query.name,
        "multiple": query.multiple,
        "optional": query.optional,
        "required": not query.optional and not query.multiple,
        "more": found.more,
        "searched": bool(query.text.strip()),
        "answer": True,
    }
    return render(request, CHOICES_TEMPLATE, context)
