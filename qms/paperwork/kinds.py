"""The kinds of administrative document a QMS issues (Nghị định 30/2020, Phụ lục III) and the
signing forms of Art. 13 — data, so a new kind is a line here, not code elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DECISION = "QĐ", _("Decision (Quyết định)")
    PLAN = "KH", _("Plan (Kế hoạch)")
    PROGRAMME = "CTr", _("Programme (Chương trình)")
    REPORT = "BC", _("Report (Báo cáo)")
    MINUTES = "BB", _("Minutes (Biên bản)")
    NOTICE = "TB", _("Notice (Thông báo)")
    SUBMISSION = "TTr", _("Submission (Tờ trình)")
    LETTER = "CV", _("Letter (Công văn)")


@dataclass(frozen=True)
class KindLayout:
    type_title: str  # printed above the subject; a letter has none
    in_symbol: bool = True  # a letter's symbol carries no type: "Số: 12/UBND-VP"
    decision_word: bool = False  # "QUYẾT ĐỊNH:" after the grounds


LAYOUTS: dict[str, KindLayout] = {
    Kind.DECISION: KindLayout("QUYẾT ĐỊNH", decision_word=True),
    Kind.PLAN: KindLayout("KẾ HOẠCH"),
    Kind.PROGRAMME: KindLayout("CHƯƠNG TRÌNH"),
    Kind.REPORT: KindLayout("BÁO CÁO"),
    Kind.MINUTES: KindLayout("BIÊN BẢN"),
    Kind.NOTICE: KindLayout("THÔNG BÁO"),
    Kind.SUBMISSION: KindLayout("TỜ TRÌNH"),
    Kind.LETTER: KindLayout("", in_symbol=False),
}


class Issuer(models.TextChoices):
    """Who issues and numbers: the agency, or its ISO steering committee when the agency
    lets the committee issue in its own name ("…/QĐ-BCĐISO")."""

    AGENCY = "agency", _("The agency")
    COMMITTEE = "committee", _("The ISO steering committee")


class SignForm(models.TextChoices):
    """Signing authority (NĐ 30 Art. 13), including the combined forms of collective
    bodies: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"."""

    OWN = "own", _("In own name (the head signs)")
    TM = "tm", _("TM. – on behalf of the collective body")
    TM_KT = "tm_kt", _("TM. + KT. – a deputy signs for the chair of the collective body")
    TM_Q = "tm_q", _("TM. + Q. – the acting chair signs for the collective body")
    KT = "kt", _("KT. – a deputy signs for the head")
    Q = "q", _("Q. – acting head")
    TL = "tl", _("TL. – by order of the head")
    TUQ = "tuq", _("TUQ. – by authorisation of the head")


COLLECTIVE_FORMS = frozenset({SignForm.TM, SignForm.TM_KT, SignForm.TM_Q})
# Forms in which a deputy or another official signs, not the head in person.
DEPUTY_FORMS = frozenset({SignForm.TM_KT, SignForm.KT, SignForm.TL, SignForm.TUQ})
