"""What the signed copy's digital signature says, kept with the paper when it is attached
(pyHanko through qms.lib.signedpdf; the roots are the operator's, see QMS_TRUSTED_ROOTS)."""

from __future__ import annotations

from typing import Any

from qms.lib.uploads import PDF, CheckedUpload


def report_for(
    checked: CheckedUpload, trust_roots: list[bytes] | None = None
) -> dict[str, Any] | None:
    """The signature report of a PDF (None for a scanned image: nothing to check), against
    the operator's roots unless others are given (the demo trusts its own throwaway CA)."""
    if checked.content_type != PDF:
        return None
    from qms.lib import signedpdf

    checked.file.seek(0)
    data = checked.file.read()
    checked.file.seek(0)
    roots = signedpdf.configured_roots() if trust_roots is None else trust_roots
    report: dict[str, Any] = signedpdf.inspect(data, roots).as_dict()
    return report
