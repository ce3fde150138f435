"""Background work of the TTHC results: importing a large export of dossiers.

`import_results` is a Django task (the tests run it with the immediate backend); the web
request only keeps the file and queues it, and the import page polls the import's
`rows_done` / `rows_total` with htmx until it is done or refused."""

from __future__ import annotations

from django_tasks import task

from qms.procedures import results
from qms.procedures.models import ResultImport


@task()
def import_results(import_id: int) -> str:
    """Run one queued import; returns its final status ("done" or "failed")."""
    result_import = ResultImport.objects.select_related("agency").filter(pk=import_id).first()
    if result_import is None or result_import.status == ResultImport.Status.DONE:
        return "gone" if result_import is None else result_import.status
    results.run_import(result_import)
    return result_import.status
