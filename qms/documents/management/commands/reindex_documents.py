from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from qms.documents.search import reindex_agency
from qms.organization.models import Agency


class Command(BaseCommand):
    # Search entries are derived data: after a restore from a dump, an upgrade that changes
    # folding, or a bulk import, rebuild them instead of trusting what is there.
    help = "Rebuild the search entries of the documents of every agency, or of one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", type=int, help="Only the agency with this id.")

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = Agency.objects.order_by("pk")
        if options["agency"] is not None:
            agencies = agencies.filter(pk=options["agency"])
            if not agencies.exists():
                raise CommandError(_("No agency with id %(id)s.") % {"id": options["agency"]})
        total = 0
        for agency in agencies:
            total += reindex_agency(agency)
        self.stdout.write(
            self.style.SUCCESS(
                _("Search entries rebuilt for %(count)s documents.") % {"count": total}
            )
        )
