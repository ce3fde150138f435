"""Demo of the management review, idempotent (a review already recorded for an agency leaves
it alone):

- Ban Quản lý Khu kinh tế Hải Phòng, 2026: the review planned for 18/12/2026 with its inputs
  compiled from the year's records — the meeting still to come.
- Ủy ban nhân dân huyện Bình Sơn, 2024 (two reviews a year in its plan): June and December,
  held, their decisions carried out, the minutes signed by the chairman.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from qms.organization.models import Agency, Unit, User
from qms.paperwork import services as paperwork
from qms.review import services
from qms.review.models import ManagementReview, ReviewOutput

D = dt.date
HP = "Ban Quản lý Khu kinh tế Hải Phòng"
BS = "Ủy ban nhân dân huyện Bình Sơn"


def load() -> None:
    for name, build in ((HP, _hai_phong), (BS, _binh_son)):
        agency = Agency.objects.filter(name=name).first()
        if agency is not None and not ManagementReview.objects.filter(agency=agency).exists():
            build(agency)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _plan(
    agency: Agency, day: dt.date, chair: str, people: list[str], place: str
) -> ManagementReview:
    review = ManagementReview(agency=agency, meeting_on=day, chair=_user(chair), place=place)
    return services.plan_review(review, [_user(u) for u in people])


@transaction.atomic
def _hai_phong(agency: Agency) -> None:
    review = _plan(
        agency,
        D(2026, 12, 18),
        "truongban.hp",
        ["lanhdao.hp", "thuky.hp", "truongphong.hp"],
        "Phòng họp tầng 3, trụ sở Ban Quản lý",
    )
    review.guests = "Đại diện Sở Khoa học và Công nghệ thành phố (khách mời)"
    review.save(update_fields=["guests"])
    services.compile_inputs(review)


@transaction.atomic
def _binh_son(agency: Agency) -> None:
    economy = Unit.objects.get(agency=agency, name="Phòng Kinh tế và Hạ tầng")
    office = Unit.objects.get(agency=agency, name="Văn phòng HĐND và UBND huyện")
    people = ["phochutich.bs", "truongphongkt.bs", "thuky.bs"]
    place = "Hội trường UBND huyện Bình Sơn"
    june = _plan(agency, D(2024, 6, 25), "chutich.bs", people, place)
    _held(
        june,
        D(2024, 6, 25),
        "Hệ thống quản lý chất lượng được duy trì; tỷ lệ hồ sơ đúng hạn quý I, II chưa đạt "
        "mục tiêu ở lĩnh vực đất đai. Giao các phòng chuyên môn khắc phục trong quý III.",
        [
            (
                ReviewOutput.Kind.IMPROVEMENT,
                "Rà soát, rút ngắn thời gian giải quyết hồ sơ đất đai",
                economy,
                D(2024, 9, 30),
                D(2024, 9, 20),
                "Đã rút ngắn 02 ngày làm việc",
            ),
            (
                ReviewOutput.Kind.RESOURCES,
                "Bổ sung 01 máy quét cho Bộ phận Một cửa huyện",
                office,
                D(2024, 8, 31),
                D(2024, 8, 15),
                "Đã trang bị máy quét",
            ),
        ],
        number_day=D(2024, 6, 27),
    )
    december = _plan(agency, D(2024, 12, 20), "chutich.bs", people, place)
    _held(
        december,
        D(2024, 12, 20),
        "Các mục tiêu chất lượng năm 2024 cơ bản đạt; các hành động của kỳ họp tháng 6 đã "
        "hoàn thành. Chuẩn bị công bố lại khi sắp xếp đơn vị hành chính.",
        [
            (
                ReviewOutput.Kind.CHANGE,
                "Cập nhật phạm vi áp dụng khi sắp xếp đơn vị hành chính",
                office,
                D(2025, 3, 31),
                D(2025, 3, 25),
                "Đã cập nhật phạm vi áp dụng",
            ),
        ],
        number_day=D(2024, 12, 23),
    )


def _held(
    review: ManagementReview,
    held_on: dt.date,
    conclusion: str,
    outputs: list[tuple[str, str, Unit, dt.date, dt.date, str]],
    *,
    number_day: dt.date,
) -> None:
    services.compile_inputs(review)
    made = [
        services.save_output(
            ReviewOutput(review=review, kind=kind, description=text, owner_unit=unit, due_on=due)
        )
        for kind, text, unit, due, _done, _result in outputs
    ]
    secretary = _user("thuky.bs")
    paperwork.save_draft(
        review.paper,
        signer=review.chair,
        signer_name=review.chair.full_name,
        signer_position="Chủ tịch",
    )
    services.hold(review, held_on, conclusion, secretary)
    review.paper.refresh_from_db()
    number = paperwork.next_number(review.agency, review.paper.issuer, number_day.year)
    paperwork.issue(review.paper, number=number, issued_on=number_day, by=None)
    for output, (_k, _t, _u, _due, done, result) in zip(made, outputs, strict=True):
        services.mark_output_done(output, secretary, done, result)
