#!/usr/bin/env python3
"""The project's own rules, checked by `make lint` (DESIGN.md §4, issue "Work reaches the
people who must do it" §6):

1. Views write nothing through the ORM themselves: every write goes through the owning app's
   service (`.save(`, `.delete(`, `.create(`, `.update(`, `bulk_*` in a views module).
2. Views never fetch scoped data by id without the agency: no `.objects.get(pk=` / `id=` —
   `organization.access.get_scoped` filters on the object's own agency.
3. Templates compare no workflow state: no `.status ==` / `.status !=` (a declared workflow
   gives the badge and the buttons: `{% state_badge %}`, `{% workflow_actions %}`).

Prints each breach as path:line: rule and exits 1 when there is any new one. Breaches that
predate the rule are listed in scripts/lint_rules_known.txt (path, rule and the line's text, so
they survive edits elsewhere in the file); that list only shrinks: `--update` rewrites it from
what is left, and is refused when a breach would be added.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ORM_WRITE = re.compile(
    r"\.(save|delete|bulk_create|bulk_update)\(|\.objects\.(create|update|get_or_create|"
    r"update_or_create)\(|\.(update)\(\*\*|\bform\.save\(|\bformset\.save\("
)
UNSCOPED_GET = re.compile(r"\.objects\.get\((pk|id)=")
STATUS_COMPARISON = re.compile(r"\.status\s*(==|!=)|\bstatus\s*(==|!=)\s*['\"]")
# A line may say why it is an exception: "# lint: allow <rule>" in Python.
ALLOW = re.compile(r"#\s*lint:\s*allow\b")


def view_modules() -> list[Path]:
    qms = ROOT / "qms"
    views = ["*/views.py", "*/views/*.py", "*/*_views.py", "*/views_*.py"]
    return sorted(path for pattern in views for path in qms.glob(pattern))


def templates() -> list[Path]:
    return sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("qms/*/templates/**/*.html")])


KNOWN = ROOT / "scripts" / "lint_rules_known.txt"


@dataclass(frozen=True)
class Breach:
    path: str
    number: int
    rule: str
    text: str

    @property
    def key(self) -> str:
        return f"{self.path} | {self.rule} | {self.text}"


def check_views(path: Path) -> list[Breach]:
    breaches = []
    relative = str(path.relative_to(ROOT))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        code = line.split("#", 1)[0]
        if ALLOW.search(line):
            continue
        if ORM_WRITE.search(code):
            breaches.append(Breach(relative, number, "ORM write in a view", line.strip()))
        if UNSCOPED_GET.search(code):
            breaches.append(Breach(relative, number, "unscoped objects.get by id", line.strip()))
    return breaches


def check_template(path: Path) -> list[Breach]:
    relative = str(path.relative_to(ROOT))
    return [
        Breach(relative, number, "state comparison in a template", line.strip()[:160])
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{%" in line and STATUS_COMPARISON.search(line)
    ]


def main() -> int:
    breaches = [b for path in view_modules() for b in check_views(path)]
    breaches += [b for path in templates() for b in check_template(path)]
    known = set(KNOWN.read_text(encoding="utf-8").splitlines()) if KNOWN.exists() else set()
    new = [b for b in breaches if b.key not in known]
    for breach in new:
        print(f"{breach.path}:{breach.number}: {breach.rule}")
    if "--update" in sys.argv[1:]:
        if new:
            print("New breaches cannot join the known list; fix them first.")
            return 1
        KNOWN.write_text("".join(f"{key}\n" for key in sorted({b.key for b in breaches})))
        return 0
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
