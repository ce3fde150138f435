"""Demo data of the catalogue part (filled by its author)."""


def load() -> None:
    """Nothing yet."""
