"""What the signed copy's digital signature says, kept with the paper when it is attached
(pyHanko through qms.lib.signedpdf; the roots are the operator's, see QMS_TRUSTED_ROOTS)."""

from __future__ import annotations

from typing import Any

from qms.lib.uploads import PDF, CheckedUpload


def report_for(checked: CheckedUpload) -> dict[str, Any] | None:
    """The signature report of a PDF (None for a scanned image: nothing to check)."""
    if checked.content_type != PDF:
        return None
    from qms.lib import signedpdf

    checked.file.seek(0)
    data = checked.file.read()
    checked.file.seek(0)
    report: dict[str, Any] = signedpdf.inspect(data, signedpdf.configured_roots()).as_dict()
    return report
