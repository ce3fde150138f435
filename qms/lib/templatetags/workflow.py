"""`{% load workflow %}`: a record's state badge and the steps this user may take now.

    {% state_badge revision id="revision-status" %}
    {% workflow_actions revision access %}

The workflow is found from the record's model (`qms.lib.workflow.workflow_for`), or given
as `flow=…`. Templates never compare states: the declaration decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from qms.lib.workflow import Actor, Transition, Workflow, workflow_for

register = template.Library()


@register.simple_tag
def state_badge(record: Any, flow: Workflow | None = None, id: str = "") -> SafeString:  # noqa: A002
    """The record's state as a Bootstrap badge; `data-state` carries its code."""
    state = (flow or workflow_for(record)).state(record)
    return format_html(
        '<span class="badge text-bg-{}" data-state="{}"{}>{}</span>',
        state.badge,
        state.code,
        format_html(' id="{}"', id) if id else "",
        state.label,
    )


@dataclass
class Step:
    """One step offered on the page: its declaration, where it posts, and its form."""

    transition: Transition
    url: str
    form: forms.Form | None

    @property
    def has_inputs(self) -> bool:
        return self.form is not None or self.transition.comment


@register.inclusion_tag("includes/workflow_actions.html", takes_context=True)
def workflow_actions(
    context: template.Context, record: Any, actor: Actor, flow: Workflow | None = None
) -> dict[str, Any]:
    """A POST form per step `actor` may take on `record` now; a comment box (and the step's
    own fields) where the step asks for them."""
    workflow = flow or workflow_for(record)
    steps = [
        Step(t, workflow.post_url(record, t.name), t.new_form())
        for t in workflow.available(record, actor)
    ]
    return {
        "csrf_token": context.get("csrf_token"),
        "buttons": [s for s in steps if not s.has_inputs],
        "with_inputs": [s for s in steps if s.has_inputs],
    }
