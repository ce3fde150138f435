"""Typed readers for settings that come from environment variables (DESIGN.md §4.7).

Every reader fails loudly with the variable's name when a value cannot be parsed, so a
misconfigured deployment stops at start-up instead of running with a silent default.
"""

import os
from pathlib import Path


class ConfigurationError(RuntimeError):
    pass


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigurationError(f"Environment variable {name} is required")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str) -> Path | None:
    """An optional path to a file or directory that must exist when the variable is set."""
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return None
    path = Path(raw).expanduser()
    if not path.exists():
        raise ConfigurationError(f"{name} points to {raw!r}, which does not exist")
    return path
