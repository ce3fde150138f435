"""Production refuses to run while a demo account still opens with the public demo password
(it is printed in the README and on the console of every demo start).

Two guards share one function: a system check, run by `manage.py check --deploy`, and
`refuse_public_demo_passwords()`, called by qms/wsgi.py so gunicorn stops at start-up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

FIX = (
    "Đổi mật khẩu các tài khoản này (manage.py changepassword <tên đăng nhập>) hoặc ngừng "
    "kích hoạt chúng trong trang quản trị, rồi khởi động lại. / Change these passwords "
    "(manage.py changepassword <login>) or deactivate the accounts in the administration "
    "(Users → Active), then start again."
)


def demo_accounts_with_public_password() -> list[str]:
    """Login names of active demo accounts whose password is still the public one. Checks
    only the demo login names (hashing is slow on purpose), and nothing on a database that
    has no tables yet."""
    from qms.organization import demo
    from qms.organization.models import User

    names = [username for username, _who in demo.DEMO_LOGINS]
    try:
        users = list(User.objects.filter(username__in=names, is_active=True).order_by("username"))
    except DatabaseError:
        return []
    return [user.username for user in users if user.check_password(demo.DEMO_PASSWORD)]


def _message(usernames: list[str]) -> str:
    names = ", ".join(usernames)
    return (
        "Chế độ vận hành chính thức (QMS_PRODUCTION=1) không khởi động khi tài khoản mẫu còn "
        f"dùng mật khẩu công khai / Production mode refuses to start: these demo accounts "
        f"still have the public demo password: {names}. {FIX}"
    )


@register(Tags.security, deploy=True)
def check_demo_passwords(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    usernames = demo_accounts_with_public_password()
    if not usernames:
        return []
    return [Error(_message(usernames), id="qms.accounts.E001")]


def refuse_public_demo_passwords() -> None:
    """Raise at start-up in production while a demo account has the public password."""
    if not settings.PRODUCTION:
        return
    usernames = demo_accounts_with_public_password()
    if usernames:
        raise ImproperlyConfigured(_message(usernames))
