"""Legal bases: a change in a cited legal document flags the citing documents with the
3-month deadline of QĐ 19/2014 Art. 4.4(a) and puts them on the agenda; units review their
legal bases every 3 months."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qms.agenda.models import Obligation
from qms.documents import services
from qms.documents.models import Citation, Document, Kind, LegalBasisReview, LegalDocument
from qms.lib.dates import months_later, quarter_end
from qms.organization.models import Unit, today

S = LegalDocument.Status


def make_document(agency, code, unit=None, **extra):
    defaults = {
        "kind": Kind.TTHC_PROCEDURE,
        "title": f"Quy trình {code}",
        "status": Document.Status.IN_FORCE,
        "owner_unit": unit,
    }
    return Document.objects.create(agency=agency, code=code, **(defaults | extra))


def make_legal(agency, number, **extra):
    defaults = {
        "doc_type": LegalDocument.Type.DECREE,
        "issuer": "Chính phủ",
        "title": "Về công tác văn thư",
        "issued_on": dt.date(2020, 3, 5),
        "effective_on": dt.date(2020, 3, 5),
    }
    return LegalDocument.objects.create(agency=agency, number=number, **(defaults | extra))


def legal_obligations(legal):
    return Obligation.objects.filter(source__startswith=f"documents.legal:{legal.pk}:")


@pytest.fixture
def setup(cast):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    division = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    legal = make_legal(cast.a, "30/2020/NĐ-CP")
    first = make_document(cast.a, "QT-01", office)
    second = make_document(cast.a, "QT-02", division)
    for document in (first, second):
        services.cite(document, legal)
    return {
        "office": office,
        "division": division,
        "legal": legal,
        "first": first,
        "second": second,
        "secretary": cast.users["secretary"],
    }


def test_it_flags_every_citing_document_when_the_text_is_replaced(setup):
    legal = setup["legal"]
    flagged = services.change_legal_status(legal, S.REPLACED, None, dt.date(2025, 7, 1))
    assert flagged == 2
    for citation in Citation.objects.filter(legal_document=legal):
        assert citation.flagged_on == today()
        assert citation.due_on == dt.date(2025, 10, 1)  # 01/7/2025 + 3 months
        assert citation.is_flagged


@pytest.mark.parametrize(
    ("change", "due"),
    [
        (dt.date(2025, 11, 30), dt.date(2026, 2, 28)),
        (dt.date(2023, 11, 30), dt.date(2024, 2, 29)),  # leap year
        (dt.date(2025, 12, 31), dt.date(2026, 3, 31)),
    ],
)
def test_the_deadline_is_clamped_to_the_end_of_a_short_month(setup, change, due):
    services.change_legal_status(setup["legal"], S.AMENDED, None, change)
    assert set(Citation.objects.values_list("due_on", flat=True)) == {due}


def test_the_date_of_the_amending_text_is_used_when_no_change_date_is_given(setup, cast):
    newer = make_legal(cast.a, "78/2025/NĐ-CP", effective_on=dt.date(2025, 8, 15))
    services.change_legal_status(setup["legal"], S.REPLACED, newer, None)
    setup["legal"].refresh_from_db()
    assert setup["legal"].changed_by == newer
    assert set(Citation.objects.values_list("due_on", flat=True)) == {dt.date(2025, 11, 15)}


def test_the_agenda_gets_one_obligation_per_flagged_citation_owned_by_the_owner_unit(setup):
    legal = setup["legal"]
    services.change_legal_status(legal, S.REPLACED, None, dt.date(2025, 7, 1))
    obligations = {o.source: o for o in legal_obligations(legal)}
    assert len(obligations) == 2
    for key in ("first", "second"):
        citation = Citation.objects.get(document=setup[key], legal_document=legal)
        obligation = obligations[f"documents.legal:{legal.pk}:{citation.pk}"]
        assert obligation.owner_unit_id == setup[key].owner_unit_id
        assert obligation.due_date == dt.date(2025, 10, 1)
        assert obligation.kind == services.LEGAL_CHANGE_KIND
        assert setup[key].code in obligation.title


def test_recording_how_it_was_handled_removes_the_obligation(setup):
    legal = setup["legal"]
    services.change_legal_status(legal, S.REPLACED, None, dt.date(2025, 7, 1))
    citation = Citation.objects.get(document=setup["first"])
    services.resolve_citation(citation, setup["secretary"], "  Đã sửa đổi QT-01 lần 2  ")
    citation.refresh_from_db()
    assert citation.resolved_on == today() and not citation.is_flagged
    assert citation.resolution == "Đã sửa đổi QT-01 lần 2"
    assert citation.resolved_by == setup["secretary"]
    remaining = list(legal_obligations(legal).values_list("source", flat=True))
    assert remaining == [
        f"documents.legal:{legal.pk}:{Citation.objects.get(document=setup['second']).pk}"
    ]


def test_resolving_needs_a_flag_and_a_description(setup):
    citation = Citation.objects.get(document=setup["first"])
    with pytest.raises(ValidationError):
        services.resolve_citation(citation, setup["secretary"], "Đã xem")  # not flagged
    services.change_legal_status(setup["legal"], S.REPEALED, None, dt.date(2025, 7, 1))
    citation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.resolve_citation(citation, setup["secretary"], "   ")
    citation.refresh_from_db()
    assert citation.resolved_on is None


def test_back_in_force_lifts_the_open_flags_and_their_obligations(setup):
    legal = setup["legal"]
    services.change_legal_status(legal, S.REPLACED, None, dt.date(2025, 7, 1))
    assert services.change_legal_status(legal, S.IN_FORCE, None, dt.date(2025, 7, 1)) == 0
    legal.refresh_from_db()
    assert legal.changed_by is None and legal.change_effective_on is None
    assert not Citation.objects.filter(flagged_on__isnull=False).exists()
    assert not Citation.objects.filter(due_on__isnull=False).exists()
    assert not legal_obligations(legal).exists()


def test_citing_a_text_already_replaced_flags_it_at_once(setup, cast):
    old = make_legal(cast.a, "110/2004/NĐ-CP")
    services.change_legal_status(old, S.REPLACED, None, dt.date(2025, 11, 30))
    citation = services.cite(setup["first"], old)
    citation.refresh_from_db()
    assert citation.is_flagged and citation.due_on == dt.date(2026, 2, 28)
    assert legal_obligations(old).get().owner_unit == setup["office"]


def test_citing_twice_or_across_agencies_is_refused(setup, cast):
    with pytest.raises(ValidationError):
        services.cite(setup["first"], setup["legal"])
    theirs = make_legal(cast.b, "30/2020/NĐ-CP")
    with pytest.raises(ValidationError):
        services.cite(setup["first"], theirs)
    assert Citation.objects.count() == 2


def test_a_flagged_citation_cannot_be_removed_but_a_plain_one_can(setup):
    services.change_legal_status(setup["legal"], S.AMENDED, None, dt.date(2025, 7, 1))
    flagged = Citation.objects.get(document=setup["first"])
    with pytest.raises(ValidationError):
        services.uncite(flagged)
    assert Citation.objects.filter(pk=flagged.pk).exists()
    services.resolve_citation(flagged, setup["secretary"], "Đã rà soát, không ảnh hưởng")
    flagged.refresh_from_db()
    with pytest.raises(ValidationError):  # the handled flag stays as the record
        services.uncite(flagged)
    services.change_legal_status(setup["legal"], S.IN_FORCE, None, None)
    plain = Citation.objects.get(document=setup["second"])
    services.uncite(plain)
    assert not Citation.objects.filter(pk=plain.pk).exists()


def test_a_change_needs_its_date_and_a_text_of_the_same_agency(setup, cast):
    legal = setup["legal"]
    with pytest.raises(ValidationError):
        services.change_legal_status(legal, S.REPLACED, None, None)
    undated = make_legal(cast.a, "01/2026/NĐ-CP", effective_on=None)
    with pytest.raises(ValidationError):
        services.change_legal_status(legal, S.REPLACED, undated, None)
    with pytest.raises(ValidationError):
        services.change_legal_status(legal, S.REPLACED, legal, dt.date(2025, 7, 1))
    theirs = make_legal(cast.b, "02/2026/NĐ-CP")
    with pytest.raises(ValidationError):
        services.change_legal_status(legal, S.REPLACED, theirs, dt.date(2025, 7, 1))
    legal.refresh_from_db()
    assert legal.status == S.IN_FORCE
    assert not Citation.objects.filter(flagged_on__isnull=False).exists()


def test_a_legal_review_refuses_a_future_date_and_changes_without_findings(setup):
    unit, by = setup["office"], setup["secretary"]
    with pytest.raises(ValidationError):
        services.record_legal_review(
            unit, by, today() + dt.timedelta(days=1), LegalBasisReview.Result.NO_CHANGE, "", []
        )
    with pytest.raises(ValidationError):
        services.record_legal_review(
            unit, by, today(), LegalBasisReview.Result.CHANGES_FOUND, "  ", []
        )
    assert not LegalBasisReview.objects.exists()


def test_the_review_obligation_of_a_unit_moves_to_three_months_after_its_last_review(setup, cast):
    unit, agency = setup["office"], cast.a
    source = f"documents.legal_reviews:{agency.pk}:{unit.pk}"
    theirs = make_legal(cast.b, "99/2025/NĐ-CP")
    day = today() - dt.timedelta(days=10)
    review = services.record_legal_review(
        unit,
        setup["secretary"],
        day,
        LegalBasisReview.Result.CHANGES_FOUND,
        "NĐ 30/2020 được sửa đổi",
        [setup["legal"].pk, theirs.pk],
    )
    # Only the agency's own legal documents are linked.
    assert list(review.legal_documents.all()) == [setup["legal"]]
    obligation = Obligation.objects.get(source=source)
    assert obligation.owner_unit == unit
    assert obligation.kind == services.LEGAL_REVIEW_KIND
    assert obligation.due_date == months_later(day, 3)
    # The division has not reviewed yet: due by the end of this quarter.
    division = Obligation.objects.get(
        source=f"documents.legal_reviews:{agency.pk}:{setup['division'].pk}"
    )
    assert division.due_date == quarter_end(today())


def test_legal_review_due_dates():
    assert services.legal_review_due(dt.date(2025, 11, 30), dt.date(2026, 1, 5)) == dt.date(
        2026, 2, 28
    )
    assert services.legal_review_due(None, dt.date(2026, 5, 10)) == dt.date(2026, 6, 30)
