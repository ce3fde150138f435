"""Deadlines from the law and the seed plans, kept as data in one place (DESIGN.md §2)."""

# QĐ 19/2014/QĐ-TTg Art. 4.4(a): changes in legal normative documents are built into the
# QMS within 3 months of their effective date.
LEGAL_CHANGE_MONTHS = 3
# The Hải Phòng seed (task 4): the legal basis of the procedures is reviewed every 3 months.
LEGAL_BASIS_REVIEW_MONTHS = 3
# A document in force is reviewed for fitness once a year unless its register says otherwise.
DEFAULT_REVIEW_MONTHS = 12
# The plan event a document set's effective date records (qms/plans/timing.py EVENTS).
DOCUMENT_SET_EVENT = "document_set_effective"
