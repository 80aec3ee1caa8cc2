"""Where the platform keeps its files: one definition, used by the core and by the settings.

The data directory holds the embedded SQLite database, uploaded files, the development secret
key and the factor sets loaded with ``ecplan factors load`` (``<data dir>/factor-sets/``).
Nothing here creates directories; callers that write create what they need.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

__all__ = ["FACTOR_SETS_DIRNAME", "data_dir", "factor_sets_dir"]

FACTOR_SETS_DIRNAME = "factor-sets"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The platform's data directory.

    Parameters
    ----------
    environ : mapping, optional
        Environment to read (default: ``os.environ``).

    Returns
    -------
    pathlib.Path
        ``$ECPLAN_DATA_DIR`` if set and not empty, else ``$XDG_DATA_HOME/ecplan``, else
        ``~/.local/share/ecplan`` — expanded and made absolute. The directory may not exist.
    """
    env = os.environ if environ is None else environ
    return _resolve(
        env.get("ECPLAN_DATA_DIR", ""), env.get("XDG_DATA_HOME", ""), env.get("HOME", "")
    )


@lru_cache(maxsize=16)
def _resolve(explicit: str, xdg: str, home: str) -> Path:
    # Memoised on the environment values: resolving costs system calls and the default
    # library asks for the directory on every calculation.
    if explicit:
        path = Path(explicit)
    else:
        base = Path(xdg) if xdg else Path.home() / ".local" / "share"
        path = base / "ecplan"
    return path.expanduser().resolve()


@lru_cache(maxsize=16)
def _factor_dir(base: Path) -> Path:
    return base / FACTOR_SETS_DIRNAME


def factor_sets_dir(base: Path | None = None) -> Path:
    """Where loaded factor sets are stored: ``<data dir>/factor-sets``.

    Parameters
    ----------
    base : pathlib.Path, optional
        The data directory (default: :func:`data_dir`).
    """
    return _factor_dir(base if base is not None else data_dir())
