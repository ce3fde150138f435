"""The declarative workflow: who may take which step when, separation of duties, refusals
in words, and the template tags that show only the steps a person may take."""

from dataclasses import dataclass, field

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Context, Template
from django.utils import translation

from qms.lib.workflow import Apart, Requirement, State, Transition, Workflow, states


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    SIGNED = "signed", "Signed"


@dataclass
class Person:
    pk: int


@dataclass
class Actor:
    user: Person
    rights: set[str] = field(default_factory=set)

    def can(self, right):
        return right in self.rights


@dataclass
class Paper:
    status: str = "draft"
    drafted_by_id: int | None = 1
    pages: int = 1


class DateForm(forms.Form):
    day = forms.DateField()


FLOW = Workflow(
    states(Status, {"draft": "warning", "sent": "primary", "signed": "success"}),
    [
        Transition(
            "send",
            "Send",
            sources=("draft",),
            target="sent",
            right="write",
            refusal="Only a draft is sent, not a paper “%(state)s”.",
            hands_to=lambda paper: [Person(2), Person(1)],
            requires=(Requirement(lambda paper: paper.pages > 0, "The paper is empty."),),
        ),
        Transition(
            "sign",
            "Sign",
            sources=("sent",),
            target="signed",
            right="sign",
            refusal="Only a sent paper is signed.",
            task="Sign the paper",
            apart=(Apart("drafted_by_id", "Nobody signs what they drafted."),),
            form=DateForm,
            style="success",
        ),
        Transition(
            "send_back",
            "Send back",
            sources=("sent",),
            target="draft",
            right="sign",
            refusal="Only a sent paper is sent back.",
            comment=True,
            style="outline-danger",
        ),
    ],
    url=lambda paper, name: f"/papers/1/{name}/",
)


def english(change, *args):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        change(*args)
    return " ".join(error.value.messages)


def test_it_offers_only_the_steps_the_actor_may_take_now():
    drafter = Actor(Person(1), {"write", "sign"})
    signer = Actor(Person(2), {"sign"})
    paper = Paper()
    assert [t.name for t in FLOW.available(paper, drafter)] == ["send"]
    assert FLOW.available(paper, signer) == []
    paper.status = "sent"
    # The drafter may send back but never sign their own paper.
    assert [t.name for t in FLOW.available(paper, drafter)] == ["send_back"]
    assert [t.name for t in FLOW.available(paper, signer)] == ["sign", "send_back"]


def test_it_refuses_with_the_reason_in_words():
    drafter = Actor(Person(1), {"write", "sign"})
    signer = Actor(Person(2), {"sign"})
    paper = Paper(status="signed")
    assert english(FLOW.check, paper, "send", drafter) == (
        "Only a draft is sent, not a paper “Signed”."
    )
    paper.status = "draft"
    assert "right" in english(FLOW.check, paper, "send", signer)
    assert "does not exist" in english(FLOW.check, paper, "explode", drafter)
    paper.pages = 0
    assert english(FLOW.check, paper, "send", drafter) == "The paper is empty."
    paper.status = "sent"
    assert english(FLOW.check, paper, "sign", drafter) == "Nobody signs what they drafted."
    assert "comment" in english(FLOW.check, paper, "send_back", signer, "   ")
    assert FLOW.check(paper, "send_back", signer, "Sửa mục 2").name == "send_back"


def test_advancing_sets_the_new_state_and_names_the_work_waiting():
    paper = Paper()
    step = FLOW.advance(paper, "send", Actor(Person(1), {"write"}))
    assert paper.status == "sent" and step.name == "send"
    work = FLOW.work(paper)
    assert work is not None and work.task == "Sign the paper"
    # The hand-off keeps out whom separation of duties excludes from the work.
    assert [p.pk for p in FLOW.eligible(paper, work.name, step.hands_to(paper))] == [2]
    assert FLOW.work(Paper(status="signed")) is None


def test_a_declaration_that_names_an_unknown_state_or_repeats_a_step_is_refused():
    draft = State("draft", "Draft")
    step = Transition("go", "Go", ("draft",), "gone", "write", "No.")
    with pytest.raises(ValueError, match="unknown states"):
        Workflow([draft], [step])
    ok = Transition("go", "Go", ("draft",), "draft", "write", "No.")
    with pytest.raises(ValueError, match="twice"):
        Workflow([draft], [ok, ok])
    with pytest.raises(ValueError, match="badge"):
        State("x", "X", "purple")
    with pytest.raises(ValueError, match="No badge"):
        states(Status, {"draft": "warning"})


def test_reading_a_posted_step_validates_its_form_and_keeps_the_comment():
    sign = FLOW.transition("sign")
    assert sign is not None
    with pytest.raises(ValidationError):
        sign.read({"day": "not a date"})
    assert str(sign.read({"day": "2026-12-02"})["day"]) == "2026-12-02"
    send_back = FLOW.transition("send_back")
    assert send_back is not None and send_back.read({"comment": "Sửa"}) == {"comment": "Sửa"}


def render(text, **context):
    return Template("{% load workflow %}" + text).render(Context(context))


def test_the_tags_render_the_badge_and_only_the_allowed_steps():
    paper = Paper(status="sent")
    badge = render("{% state_badge paper flow=flow id='st' %}", paper=paper, flow=FLOW)
    assert badge == '<span class="badge text-bg-primary" data-state="sent" id="st">Sent</span>'
    page = render(
        "{% workflow_actions paper actor flow=flow %}",
        paper=paper,
        actor=Actor(Person(2), {"sign"}),
        flow=FLOW,
        csrf_token="tok",
    )
    assert 'action="/papers/1/sign/"' in page and 'id="sign-day"' in page
    # Sending back asks for a comment.
    assert 'action="/papers/1/send_back/"' in page and 'name="comment"' in page
    assert 'value="tok"' in page and 'action="/papers/1/send/"' not in page
    drafter_page = render(
        "{% workflow_actions paper actor flow=flow %}",
        paper=paper,
        actor=Actor(Person(1), {"sign"}),
        flow=FLOW,
    )
    assert "/papers/1/sign/" not in drafter_page
