import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings")
application = get_wsgi_application()

# Production refuses to serve while a demo account still has the public demo password.
from qms.accounts.checks import refuse_public_demo_passwords  # noqa: E402

refuse_public_demo_passwords()
