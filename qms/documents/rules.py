"""Deadlines from the law and the seed plans, kept as data in one place (DESIGN.md §2)."""

from qms.plans.events import Event

# QĐ 19/2014/QĐ-TTg Art. 4.4(a): changes in legal normative documents are built into the
# QMS within 3 months of their effective date.
LEGAL_CHANGE_MONTHS = 3
# The Hải Phòng seed (task 4): the legal basis of the procedures is reviewed every 3 months.
LEGAL_BASIS_REVIEW_MONTHS = 3
# A document in force is reviewed for fitness once a year unless its register says otherwise.
DEFAULT_REVIEW_MONTHS = 12
# The plan event a document set's effective date records (registered in DocumentsConfig.ready;
# the seed plans count the internal audit and the management review from it).
DOCUMENT_SET_EVENT = "document_set_effective"
DOCUMENT_SET_EFFECTIVE = Event(
    key=DOCUMENT_SET_EVENT,
    label="Bộ tài liệu ISO mới có hiệu lực",
    since="ngày Quyết định ban hành Bộ tài liệu ISO có hiệu lực",
    before="ngày Quyết định ban hành Bộ tài liệu ISO có hiệu lực",
    when="Quyết định ban hành Bộ tài liệu ISO có hiệu lực",
    condition="ban hành Bộ tài liệu ISO mới",
    words=("tài liệu iso", "hiệu lực"),
)
