"""Background work of the documents app: reading the text of uploaded files for search."""

from __future__ import annotations

from django_tasks import task

from qms.documents import extraction, search
from qms.documents.models import RevisionFile


@task()
def read_file_text(file_id: int) -> str:
    """Extract the text of one uploaded file, then refresh its document's search entry.
    Returns the extraction state, for the task's result."""
    stored = RevisionFile.objects.select_related("revision").filter(pk=file_id).first()
    if stored is None:
        return "gone"
    state = extraction.read_into(stored)
    search.reindex_documents([stored.revision.document_id])
    return state
