"""Forms of the system administrator's pages for provinces and agencies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.lib.forms import StyledFormMixin, limit_choices
from qms.organization import standards
from qms.organization.forms import DATE_WIDGET
from qms.organization.models import Agency, Province, today


class ProvinceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Province
        fields = ["name", "kind"]
        labels = {"name": _("Name of the province, city or ministry")}


class AgencyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "province",
            "kind",
            "name",
            "abbreviation",
            "parent",
            "parent_agency_name",
            "place_name",
            "head_title",
            "deputy_title",
            "collective_name",
            "committee_name",
            "committee_abbreviation",
            "is_dost",
            "standard",
            "valid_from",
        ]
        widgets = {"valid_from": DATE_WIDGET}
        error_messages = {
            "standard": {
                "invalid_choice": _("Choose one of the standards listed."),
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["standard"]
        field.required = False  # left out of a post: the agency keeps the standard it has
        pending = [s.number for s in standards.STANDARDS.values() if not s.in_force]
        if pending:
            field.help_text = f"{field.help_text} {not_adopted_warning(pending)}"
        parents = Agency.objects.select_related("province").order_by("province__name", "name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        limit_choices(self, "parent", parents)

    def clean_standard(self) -> str:
        return self.cleaned_data.get("standard") or self.instance.standard or standards.DEFAULT


def not_adopted_warning(numbers: list[str]) -> str:
    """The line shown beside a standard Việt Nam has not yet adopted as a TCVN: it may be
    chosen (an agency preparing the transition says so), and its wording names the ISO
    edition."""
    return _(
        "%(numbers)s has not yet been adopted in Việt Nam as a national standard (TCVN); "
        "it may be chosen to prepare the transition, and titles and decisions will name the "
        "ISO edition."
    ) % {"numbers": ", ".join(numbers)}


class DissolveForm(StyledFormMixin, forms.Form):
    valid_to = forms.DateField(label=_("Last day of the agency"), widget=DATE_WIDGET)
    successor = forms.ModelChoiceField(
        label=_("Successor (takes over its work)"),
        queryset=Agency.objects.none(),
        required=False,
    )
    dissolution_note = forms.CharField(
        label=_("Decision or reason"),
        max_length=300,
        required=False,
        help_text=_("e.g. Nghị quyết số … về việc sắp xếp đơn vị hành chính"),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Successors: agencies of the same province still in existence today.
        candidates = (
            Agency.objects.filter(province_id=agency.province_id)
            .active_on(today())
            .exclude(pk=agency.pk)
            .order_by("name")
        )
        limit_choices(self, "successor", candidates)
