"""Settings of the HTTP benchmark's server (bench/http_pages.py): the project's settings, read
from the same environment as production, with a URLconf that adds the hello view."""

from qms.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
