"""The input rules every form applies through StyledFormMixin: dates in 1990 … 2100, text
without control characters and in NFC, ids that fit the database."""

import importlib
import pkgutil

import pytest
from django import forms
from django.utils import translation

import qms
from qms.documents.legal_forms import LegalReviewForm
from qms.lib.forms import StyledFormMixin, named_errors
from qms.organization.models import Unit
from qms.plans.forms import EventForm, PartForm, PlanForm, ProgressForm
from qms.plans.services import create_plan


def _project_forms():
    for module in pkgutil.walk_packages(qms.__path__, "qms."):
        last = module.name.rsplit(".", 1)[-1]
        if ".tests" not in module.name and last.endswith("forms"):
            importlib.import_module(module.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [f for f in seen if f.__module__.startswith("qms.") and ".tests" not in f.__module__]


def test_every_form_of_the_project_applies_the_input_rules():
    found = _project_forms()
    assert len(found) > 30  # the walk did find the apps' forms
    missing = sorted(
        f"{f.__module__}.{f.__qualname__}" for f in found if not issubclass(f, StyledFormMixin)
    )
    assert missing == []


@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        ("31/12/9999", False),
        ("9999-12-31", False),
        ("31/12/1989", False),
        ("01/01/2101", False),
        ("01/01/1990", True),
        ("31/12/2100", True),
        ("15/07/2026", True),
    ],
)
def test_a_date_outside_1990_to_2100_is_refused_in_vietnamese(typed, valid):
    form = EventForm({"event": "inspection_notice", "occurred_on": typed})
    with translation.override("vi"):
        assert form.is_valid() is valid
        if not valid:
            assert form.errors["occurred_on"] == [
                "Vui lòng nhập ngày trong khoảng từ 01/01/1990 đến 31/12/2100."
            ]


def test_an_impossible_date_is_refused_without_an_error_page():
    form = EventForm({"event": "inspection_notice", "occurred_on": "31/02/2026"})
    assert not form.is_valid() and "occurred_on" in form.errors


def test_text_loses_control_characters_and_is_composed():
    # "đánh giá" typed with combining accents, a vertical tab (Word's line break), a bell,
    # a C1 control, and CRLF line ends from a browser's text area.
    typed = "Quy trình\x0bđa\u0301nh gia\u0301\x07\x85\r\nlần 2\x00"
    form = ProgressForm({"on": "15/07/2026", "text": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == "Quy trình đánh giá\nlần 2"


def test_fields_a_form_adds_after_the_mixin_are_cleaned_too(cast):
    # PlanForm adds its column headings in its own __init__, after the mixin has run.
    plan = create_plan(cast.a, year=2026, title="Kế hoạch")
    data = {k: v for k, v in PlanForm(instance=plan).initial.items() if v is not None}
    data |= {"title": "Kế hoạch\x0b2026", "title_content": "Nội\x1fdung", "columns": ["timing"]}
    form = PlanForm(data, instance=plan)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Kế hoạch 2026"
    assert form.cleaned_data["title_content"] == "Nộidung"


def test_a_password_is_taken_exactly_as_typed():
    class Login(StyledFormMixin, forms.Form):
        password = forms.CharField(widget=forms.PasswordInput, strip=False)

    form = Login({"password": " Mật\x0bkhẩu "})
    assert form.is_valid() and form.cleaned_data["password"] == " Mật\x0bkhẩu "


def test_a_huge_id_is_an_invalid_choice_not_a_database_error(cast):
    units = Unit.objects.filter(agency=cast.a)
    huge = "9223372036854775808"
    form = LegalReviewForm(
        {
            "unit": huge,
            "reviewed_on": "01/07/2026",
            "result": "no_change",
            "legal_documents": [huge, "1" * 40],
        },
        agency=cast.a,
        units=units,
    )
    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["unit"][0].startswith("Select a valid choice")
        assert form.errors["legal_documents"][0].startswith("Select a valid choice")


def test_the_rules_leave_the_base_fields_of_the_form_class_alone():
    PartForm({"kind": "date", "day": "01/01/2026", "label": "x\x07"}).is_valid()
    day = PartForm.base_fields["day"]
    assert not any(getattr(v, "__name__", "") == "validate_sane_date" for v in day.validators)
    assert "to_python" not in vars(PartForm.base_fields["label"])


class _Titled(StyledFormMixin, forms.Form):
    title = forms.CharField(label="Tiêu đề", max_length=10)
    note = forms.CharField(label="Ghi chú", required=False)


def test_a_limit_is_shown_while_typing_and_a_longer_text_refused_not_cut():
    html = str(_Titled()["title"])
    assert 'data-maxlength="10"' in html and " maxlength=" not in html  # the browser cuts
    with translation.override("vi"):
        form = _Titled({"title": "x" * 25})
        assert not form.is_valid()
        assert "tối đa 10 kí tự (hiện có 25)" in form.errors["title"][0]
        assert form["title"].value() == "x" * 25  # kept for the user to shorten


def test_a_refused_field_is_marked_and_its_errors_name_it():
    with translation.override("vi"):
        form = _Titled({"title": ""})
        assert not form.is_valid()
        assert 'aria-invalid="true"' in str(form["title"]) and "is-invalid" in str(form["title"])
        assert "is-invalid" not in str(form["note"])
        assert named_errors(form) == ["Tiêu đề: Trường này là bắt buộc."]
