"""Demo data of the steps part (filled by its author)."""


def load() -> None:
    """Nothing yet."""
