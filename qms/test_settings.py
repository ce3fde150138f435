"""Settings for the test suite: the real settings, with tasks run immediately in-process
and a fast password hasher. Everything else (database, templates, middleware) is as in use."""

from huey import MemoryHuey

from qms.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = MemoryHuey("qms-test", immediate=True)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
