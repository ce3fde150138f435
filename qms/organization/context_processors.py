from typing import Any

from django.http import HttpRequest

from qms.organization.access import overseen_province_ids
from qms.organization.models import Membership


def shell(request: HttpRequest) -> dict[str, Any]:
    """The header's agency switcher: the agencies the user belongs to (one query, lazily)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def my_memberships() -> list[Membership]:
        return list(
            Membership.objects.current()
            .filter(user=user)
            .select_related("agency")
            .order_by("agency__name")
        )

    def is_overseer() -> bool:
        return bool(overseen_province_ids(user))

    return {
        "my_memberships": my_memberships,
        "is_overseer": is_overseer,
        "current_agency_id": request.session.get("agency_id"),
    }
