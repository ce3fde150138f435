"""Demo data of the results part (filled by its author)."""


def load() -> None:
    """Nothing yet."""
