"""Demo TTHC data, part by part: the catalogue and each agency's subset with coverage, then
process steps, then a year of dossier results."""

from qms.procedures import demo_catalogue, demo_results, demo_steps


def load() -> None:
    demo_catalogue.load()
    demo_steps.load()
    demo_results.load()
