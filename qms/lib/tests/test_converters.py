"""Ids from outside: a URL path, a query string, a posted field. Anything that is not a
positive id of at most 18 digits is "no such record", never a server error."""

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from qms.lib.converters import BoundedIntConverter, int_param, parse_id


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("9" * 18, int("9" * 18)),
        ("9223372036854775808", None),  # one past the largest 64-bit integer
        ("9" * 5000, None),
        ("0", None),
        ("-1", None),
        ("4.2", None),
        (" 42", None),
        ("42\n", None),
        ("²", None),  # str.isdigit() says yes, int() fails
        ("٤٢", None),  # Arabic-Indic digits
        ("", None),
        (None, None),
        (["42"], None),
    ],
)
def test_parse_id_takes_only_sane_positive_ids(text, value):
    assert parse_id(text) == value


def test_int_param_reads_the_query_string():
    factory = RequestFactory()
    assert int_param(factory.get("/", {"unit": "7"}), "unit") == 7
    assert int_param(factory.get("/", {"unit": "9223372036854775808"}), "unit") is None
    assert int_param(factory.get("/"), "unit") is None


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            assert isinstance(entry, URLPattern)
            yield prefix + str(entry.pattern), entry.pattern.converters


def test_every_int_in_the_project_urls_is_bounded():
    patterns = list(_patterns(get_resolver().url_patterns))
    with_ints = [route for route, converters in patterns if "<int:" in route]
    assert len(with_ints) > 30
    for route, converters in patterns:
        for converter in converters.values():
            assert not (
                isinstance(converter, IntConverter)
                and not isinstance(converter, BoundedIntConverter)
            ), route


@pytest.mark.parametrize("agency_id", ["9" * 19, "9223372036854775808", "9" * 400])
def test_a_huge_id_in_a_path_is_a_404(cast, login, agency_id):
    client = login(cast.users["secretary"])
    assert client.get(f"/agencies/{agency_id}/").status_code == 404
    assert client.get(f"/agencies/{cast.a.pk}/plans/{agency_id}/").status_code == 404
