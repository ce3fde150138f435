"""Drop-downs of every form are written in Python, not by Django's per-option templates:
the HTML must say the same thing (only the blank lines between options go)."""

import re

from django import forms

from qms.lib.forms import StyledFormMixin


class _Form(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=[("", "—"), ("a", "A & <b>"), ("1", "Một")])
    many = forms.MultipleChoiceField(choices=[("Nhóm", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    known = forms.NullBooleanField()


def _django(field):
    """The field as Django's templates write it, without the blank lines."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({})
    attrs["id"] = field.auto_id
    html = type(widget).render(widget, field.html_name, field.value(), attrs)
    return re.sub(r"\n\s*\n", "\n", html)


def test_a_drop_down_reads_as_djangos_with_its_choice_and_escaping():
    form = _Form({"kind": "a", "many": ["x", "z"], "known": "true"})
    for name in ("kind", "many", "known"):
        fast = str(form[name])
        assert fast == _django(form[name])
        assert "\n\n" not in fast
    assert '<option value="a" selected>A &amp; &lt;b&gt;</option>' in str(form["kind"])
    assert 'class="form-select"' in str(form["kind"]) and " required" in str(form["kind"])
    assert '<optgroup label="Nhóm">' in str(form["many"])


def test_a_widget_with_its_own_template_keeps_it():
    class Custom(forms.Select):
        option_template_name = "custom_option.html"

    class _CustomForm(StyledFormMixin, forms.Form):
        kind = forms.ChoiceField(choices=[("a", "A")], widget=Custom)

    widget = _CustomForm()["kind"].field.widget
    assert "render" not in vars(widget)
