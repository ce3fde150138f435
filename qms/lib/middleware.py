"""Vietnamese first: the language is the one the user chose (cookie set by the language
switch), otherwise Vietnamese — never the browser's Accept-Language, which on many office
machines says English although the users work in Vietnamese."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

from qms.lib.uploads import max_upload_bytes, max_upload_mb


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class IdleSessionMiddleware:
    """A signed-in session ends after SESSION_COOKIE_AGE seconds without a request.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would write the session
    table on every page view; this renews the session's expiry at most once a minute instead,
    so an active user costs one small write a minute and an idle session expires between one
    minute before and exactly SESSION_COOKIE_AGE after the last request."""

    KEY = "qms_last_seen"
    RENEW_AFTER = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @classmethod
    def start(cls, sender: object, request: HttpRequest, **kwargs: object) -> None:
        """Receiver of user_logged_in."""
        request.session[cls.KEY] = int(time.time())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if isinstance(last_seen, int) and now - last_seen > settings.SESSION_COOKIE_AGE:
                # The store did not expire it (e.g. a cache backend): end it here.
                logout(request)
                return redirect_to_login(request.get_full_path())
            if not isinstance(last_seen, int) or now - last_seen >= self.RENEW_AFTER:
                request.session[self.KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user and on every
    download, so a shared office computer or a proxy keeps no copy of an agency's pages or
    files after the user leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.has_header("Content-Disposition"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class UploadLimitMiddleware:
    """A request whose body is announced larger than an upload may be (QMS_MAX_UPLOAD_MB,
    plus what Django accepts of ordinary form fields alongside) is answered 413 with a page
    in the user's language, before any of the body is read: Django would otherwise spool the
    whole of it to a temporary file first. It sits before everything that reads the body
    (the CSRF check reads request.POST)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > max_upload_bytes() + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0):
            # No context processors: the user is not loaded yet, and the page needs none.
            page = render_to_string("413.html", {"size": max_upload_mb()})
            return HttpResponse(page, status=413)
        return self.get_response(request)


class DownloadDoneMiddleware:
    """Tells the page that a slow download (a PDF takes LibreOffice seconds) has arrived: a
    link marked data-busy (static/js/qms.js) asks with `?download=<token>` and shows a
    spinner until the answer carries the cookie `qms_download=<token>`. A download answered
    by a redirect (LibreOffice missing) reloads the page, which ends the spinner too."""

    COOKIE = "qms_download"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = request.GET.get("download", "")
        if token and len(token) <= 32 and token.isalnum() and token.isascii():
            # Read by the page's script: not HttpOnly; it says nothing but "arrived".
            response.set_cookie(
                self.COOKIE, token, max_age=120, samesite="Lax", secure=request.is_secure()
            )
        return response
