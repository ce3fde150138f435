"""The agency's navigation in the header is rendered once per agency and language and kept in
the cache: every page still shows the links of its own agency, in the user's language."""

from django.conf import settings
from django.urls import reverse


def nav_links(agency):
    return [
        reverse("organization:dashboard", args=[agency.pk]),
        reverse("plans:list", args=[agency.pk]),
        reverse("agenda:calendar", args=[agency.pk]),
    ]


def test_the_cached_navigation_follows_the_agency_and_the_language(cast, login):
    client = login(cast.users["secretary"])
    page_a = client.get(reverse("agenda:mine", args=[cast.a.pk])).content.decode()
    assert all(link in page_a for link in nav_links(cast.a))
    assert ">Kế hoạch</a>" in page_a

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("agenda:mine", args=[cast.a.pk])).content.decode()
    assert ">Plans</a>" in english and ">Kế hoạch</a>" not in english

    # Another agency's page, right after A's was cached: B's own links, none of A's.
    page_b = login(cast.users["secretary_b"]).get(reverse("agenda:mine", args=[cast.b.pk]))
    html = page_b.content.decode()
    assert all(link in html for link in nav_links(cast.b))
    assert not any(f'href="{link}"' in html for link in nav_links(cast.a))
