"""Workflows declared once: a record's states, the steps between them, the right each step
needs, whom it hands the work to, and who must stay apart (separation of duties).

An app declares its workflow next to its model (see docs/workflows.md for the revision as a
worked example):

    FLOW = Workflow(
        states=states(Revision.Status, {"draft": "warning", "in_review": "primary", ...}),
        transitions=[
            Transition("submit", _("Send for review"), sources=("draft",), target="in_review",
                       right="manage_documents", refusal=_("Only a draft is sent for review."),
                       hands_to=reviewers),
            Transition("review", _("Mark as reviewed"), sources=("in_review",),
                       target="reviewed", right="review_document", task=_("Review"),
                       refusal=..., apart=(Apart("drafted_by_id", _("…")),)),
            ...
        ],
        url=lambda revision, name: reverse("documents:revision_action", args=[...]),
    )

Services refuse illegal steps with `FLOW.advance(record, name, actor, comment)` (which also
sets the new state), views dispatch with `FLOW.transition(name)` and `Transition.read(POST)`,
and templates show the badge and only the buttons this user may press with
`{% load workflow %}{% state_badge record %}{% workflow_actions record access %}`.

A state that no one changes by a step of its own (it follows from other records, e.g. a
document is "in force" while one of its revisions is) is declared as a workflow without
steps, so that templates still show its badge with `{% state_badge record %}`:

    DOCUMENT_STATES = Workflow(states(Document.Status, {...}), [], model=Document)

The actor is anything with `.user` and `.can(right) -> bool` (the organisation's access
object); rights are plain strings here, so this module imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

__all__ = [
    "Actor",
    "Apart",
    "Requirement",
    "State",
    "Transition",
    "Workflow",
    "states",
    "workflow_for",
]

Text = str | Promise
BADGES = frozenset(
    {"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"}
)
STYLES = frozenset(
    {*BADGES, *(f"outline-{badge}" for badge in BADGES), "link"}  # Bootstrap button styles
)


class Actor(Protocol):
    """Who takes a step: `organization.access.AgencyAccess` is one."""

    @property
    def user(self) -> Any: ...

    def can(self, right: Any, /) -> bool: ...


@dataclass(frozen=True)
class State:
    """A state as people see it: its code (stored), label and Bootstrap badge colour."""

    code: str
    label: Text
    badge: str = "secondary"

    def __post_init__(self) -> None:
        if self.badge not in BADGES:
            raise ValueError(f"Unknown badge colour {self.badge!r}")


def states(choices: type[models.TextChoices], badges: Mapping[str, str]) -> list[State]:
    """The states of a `TextChoices` (labels already translated lazily), each with its badge
    colour; every choice must have one."""
    missing = set(choices.values) - set(badges)
    if missing:
        raise ValueError(f"No badge colour for {sorted(missing)}")
    return [State(value, label, badges[value]) for value, label in choices.choices]


@dataclass(frozen=True)
class Apart:
    """Separation of duties: the user whose id the record holds in `attribute` (e.g.
    "drafted_by_id") may not take the step; `message` says why, in words for people."""

    attribute: str
    message: Text


@dataclass(frozen=True)
class Requirement:
    """Something the record must satisfy when the step is taken (e.g. a file is attached).
    Checked when the button is pressed, not when it is offered, so the refusal can say what
    is missing."""

    test: Callable[[Any], bool]
    message: Text


@dataclass(frozen=True)
class Transition:
    """One step of a workflow."""

    name: str  # the step's code, in URLs and inbox kinds, e.g. "approve"
    label: Text  # the button, e.g. "Phê duyệt"
    sources: tuple[str, ...]  # the states it may be taken from
    target: str  # the state it leads to
    right: str  # the access right it needs, e.g. "approve_document"
    refusal: Text  # said when the record is in none of `sources`; may use %(state)s
    # Who must act once this step is taken (the app's callable, returning users): their
    # inbox gets the work now waiting on the record (see `Workflow.work`).
    hands_to: Callable[[Any], Iterable[Any]] | None = None
    # What the people who must take this step see in their inbox, e.g. "Soát xét"; a step
    # without it (send back, withdraw) is never "the work" waiting on a record.
    task: Text = ""
    apart: tuple[Apart, ...] = ()
    requires: tuple[Requirement, ...] = ()
    comment: bool = False  # a comment is required (sending back always needs one)
    comment_label: Text = ""
    form: type[forms.Form] | None = None  # further fields the step asks for, e.g. dates
    style: str = "primary"  # Bootstrap button style
    icon: str = ""  # a bootstrap-icons name, e.g. "send"
    done: Text = ""  # the message once the step is taken
    help: Text = ""  # a line shown with the step's form, e.g. another way to reach the goal
    confirm: Text = ""  # asked before the step is taken, for a step with wide effects

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"A step name is an identifier, not {self.name!r}")
        if not self.sources:
            raise ValueError(f"Step {self.name!r} has no source state")
        if self.style not in STYLES:
            raise ValueError(f"Unknown button style {self.style!r}")

    def excluded(self, record: Any) -> list[tuple[Any, Text]]:
        """(user id, message) of those who may not take this step on `record`."""
        return [(getattr(record, a.attribute), a.message) for a in self.apart]

    def new_form(self, data: Mapping[str, Any] | None = None) -> forms.Form | None:
        """The step's own form, with ids that cannot clash with another step's on a page."""
        if self.form is None:
            return None
        return self.form(data, auto_id=f"{self.name}-%s")

    def read(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """What a posted form gives the step: its form's cleaned data and the comment.
        Raises ValidationError with the form's messages."""
        values: dict[str, Any] = {}
        form = self.new_form(data)
        if form is not None:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            values.update(form.cleaned_data)
        if self.comment:
            values["comment"] = str(data.get("comment", ""))
        return values


_BY_MODEL: dict[type[models.Model], Workflow] = {}


class Workflow:
    """The states and steps of one kind of record; `field` holds the state.

    `url(record, name)` gives the path a step's form posts to; `model` lets templates find
    the workflow of a record (`workflow_for`)."""

    def __init__(
        self,
        states: Sequence[State],
        transitions: Sequence[Transition],
        *,
        field: str = "status",
        url: Callable[[Any, str], str] | None = None,
        model: type[models.Model] | None = None,
    ) -> None:
        self.states = list(states)
        self.transitions = list(transitions)
        self.field = field
        self.url = url
        self._states = {s.code: s for s in self.states}
        self._steps: dict[str, Transition] = {}
        for t in self.transitions:
            if t.name in self._steps:
                raise ValueError(f"Step {t.name!r} is declared twice")
            unknown = {*t.sources, t.target} - set(self._states)
            if unknown:
                raise ValueError(f"Step {t.name!r} names unknown states {sorted(unknown)}")
            self._steps[t.name] = t
        if model is not None:
            _BY_MODEL[model] = self

    # --- reading -----------------------------------------------------------------------

    def state(self, record: Any) -> State:
        code = getattr(record, self.field)
        try:
            return self._states[code]
        except KeyError:
            raise ValueError(
                f"{type(record).__name__} is in an undeclared state {code!r}"
            ) from None

    def transition(self, name: str) -> Transition | None:
        return self._steps.get(name)

    def available(self, record: Any, actor: Actor) -> list[Transition]:
        """The steps `actor` may take on `record` now, in declaration order: the record is in
        a source state, the actor holds the right, and no separation of duties keeps them
        out. (Requirements are checked on pressing, so the refusal can explain.)"""
        code = getattr(record, self.field)
        user_id = getattr(actor.user, "pk", None)
        return [
            t
            for t in self.transitions
            if code in t.sources
            and actor.can(t.right)
            and all(excluded != user_id for excluded, _message in t.excluded(record))
        ]

    def work(self, record: Any) -> Transition | None:
        """The work waiting on `record` in its state: the first step from it with a task."""
        code = getattr(record, self.field)
        return next((t for t in self.transitions if t.task and code in t.sources), None)

    def eligible(self, record: Any, name: str, users: Iterable[Any]) -> list[Any]:
        """Those of `users` whom no separation of duties keeps from step `name` on `record`
        (for `hands_to`: who may be handed the work)."""
        step = self._steps[name]
        excluded = {user_id for user_id, _message in step.excluded(record) if user_id is not None}
        return [user for user in users if user.pk not in excluded]

    # --- taking a step -----------------------------------------------------------------

    def check(self, record: Any, name: str, actor: Actor, comment: str = "") -> Transition:
        """The step `name`, if `actor` may take it on `record` now; otherwise ValidationError
        with the reason, in words for people."""
        step = self._steps.get(name)
        if step is None:
            raise ValidationError(_("This step does not exist."))
        state = self.state(record)
        if state.code not in step.sources:
            raise ValidationError(str(step.refusal) % {"state": state.label})
        if not actor.can(step.right):
            raise ValidationError(_("You do not have the right to take this step."))
        user_id = getattr(actor.user, "pk", None)
        for excluded, message in step.excluded(record):
            if excluded is not None and excluded == user_id:
                raise ValidationError(str(message))
        if step.comment and not comment.strip():
            raise ValidationError(_("Write a comment: this step needs one."))
        for requirement in step.requires:
            if not requirement.test(record):
                raise ValidationError(str(requirement.message))
        return step

    def advance(self, record: Any, name: str, actor: Actor, comment: str = "") -> Transition:
        """Check the step, then set the record's new state (the caller saves it)."""
        step = self.check(record, name, actor, comment)
        setattr(record, self.field, step.target)
        return step

    def post_url(self, record: Any, name: str) -> str:
        if self.url is None:
            raise ValueError("This workflow declares no URL for its steps")
        return self.url(record, name)


def workflow_for(record: Any) -> Workflow:
    """The workflow declared for the record's model."""
    for model in type(record).__mro__:
        found = _BY_MODEL.get(model)  # type: ignore[call-overload]
        if found is not None:
            return found
    raise LookupError(f"No workflow is declared for {type(record).__name__}")
