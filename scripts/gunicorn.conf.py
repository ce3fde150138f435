"""gunicorn settings of scripts/serve (`make run`); a deployment can use the same file and
set its own --bind and --workers on the command line:
`gunicorn qms.wsgi -c scripts/gunicorn.conf.py --bind 127.0.0.1:8000 --workers 8`."""

workers = 2
# Django starts once, in the master; the workers are forked from it ready to serve, instead of
# each starting Django itself (about 2 s of CPU each on this project).
preload_app = True
accesslog = "-"
# gunicorn's control socket lives at one path per user (~/.gunicorn): two checkouts running
# side by side would take it from each other, and nothing here uses it.
control_socket_disable = True


def when_ready(server):
    """In the master, before the workers are forked: load what every first request needs,
    and close the connections a forked worker must not share."""
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    get_resolver().url_patterns  # noqa: B018 — imports every app's views
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)  # reads the compiled catalogue once
    connections.close_all()
    close_queue = getattr(settings.HUEY.storage, "close", None)
    if callable(close_queue):
        close_queue()
