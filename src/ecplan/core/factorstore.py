"""Where factor sets live: shipped in the package, loaded into the data directory.

* Shipped sets: ``ecplan/core/data/factor-sets/<id>/<version>/`` (``manifest.yaml`` +
  ``rows.csv``), read once per process.
* Loaded sets: ``<data dir>/factor-sets/<id>/<version>/`` with the same two files, plus
  ``stored.yaml`` (when, from which file, and the content digest) and ``original/`` (a copy
  of the file(s) as loaded). :func:`store_factor_set` writes them — the only write the core
  performs — through a temporary directory renamed into place, so a failed load leaves
  nothing behind.

A set is never edited in place: storing a different content under an existing id + version
is refused, storing identical content again is a no-op, and a stored set whose files no
longer match the recorded digest is refused when the library is built.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from threading import Lock

import yaml

from ecplan.core.errors import FactorSetError, FactorSetProblem
from ecplan.core.factors import FactorLibrary
from ecplan.core.factorsets import FactorSet, manifest_yaml, read_factor_set
from ecplan.core.paths import factor_sets_dir

__all__ = [
    "SHIPPED_DIR",
    "StoreResult",
    "current_default_library",
    "loaded_sets",
    "shipped_sets",
    "store_factor_set",
]

SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "factor-sets"


def _set_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    out = []
    for id_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for v_dir in sorted(p for p in id_dir.iterdir() if p.is_dir()):
            if (v_dir / "manifest.yaml").is_file():
                out.append(v_dir)
    return out


def _check_location(fs: FactorSet, directory: Path) -> list[FactorSetProblem]:
    if directory.parent.name != fs.id or directory.name != fs.version:
        return [
            FactorSetProblem(
                str(directory),
                None,
                "",
                f"目录名应为 {fs.id}/{fs.version}（与清单中的 id、version 一致）",
            )
        ]
    return []


@cache
def shipped_sets() -> tuple[FactorSet, ...]:
    """The factor sets shipped with the platform (read once, validated)."""
    sets: list[FactorSet] = []
    problems: list[FactorSetProblem] = []
    for directory in _set_dirs(SHIPPED_DIR):
        fs = read_factor_set(directory, origin="shipped")
        problems.extend(_check_location(fs, directory))
        sets.append(fs)
    if problems:  # pragma: no cover - guarded by the test suite
        raise FactorSetError(problems)
    return tuple(sets)


def _signature(directory: Path) -> tuple[object, ...]:
    stats = []
    for name in ("manifest.yaml", "rows.csv", "stored.yaml"):
        try:
            st = (directory / name).stat()
            stats.append((name, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            stats.append((name, 0, 0))
    return (str(directory), *stats)


_loaded_cache: dict[tuple[object, ...], FactorSet] = {}
_lock = Lock()


def _read_loaded(directory: Path) -> FactorSet:
    sig = _signature(directory)
    with _lock:
        cached = _loaded_cache.get(sig)
    if cached is not None:
        return cached
    fs = read_factor_set(directory, origin="loaded")
    problems = _check_location(fs, directory)
    stored = directory / "stored.yaml"
    recorded = ""
    if stored.is_file():
        data = yaml.safe_load(stored.read_text(encoding="utf-8")) or {}
        recorded = str(data.get("digest", ""))
    if recorded != fs.digest:
        problems.append(
            FactorSetProblem(
                str(directory),
                None,
                "",
                "因子集文件的内容与载入时记录的摘要不一致（被修改过）。因子集不可原地修改："
                "请恢复原文件，或以新的版本号重新载入。",
            )
        )
    if problems:
        raise FactorSetError(problems)
    with _lock:
        _loaded_cache[sig] = fs
    return fs


def loaded_sets(root: Path | None = None) -> tuple[list[FactorSet], list[FactorSetProblem]]:
    """Sets stored in the data directory, and the problems of those that cannot be used.

    Parameters
    ----------
    root : pathlib.Path, optional
        Directory of loaded sets (default ``<data dir>/factor-sets``).
    """
    base = root if root is not None else factor_sets_dir()
    sets: list[FactorSet] = []
    problems: list[FactorSetProblem] = []
    for directory in _set_dirs(base):
        try:
            sets.append(_read_loaded(directory))
        except FactorSetError as exc:
            problems.extend(exc.problems)
    return sets, problems


_default_cache: dict[tuple[object, ...], FactorLibrary] = {}


def current_default_library(root: Path | None = None) -> FactorLibrary:
    """Shipped sets + loaded sets; rebuilt only when the data directory changed.

    Raises
    ------
    ecplan.core.errors.FactorSetError
        A loaded set is invalid or was modified in place (results must not change silently).
    """
    base = root if root is not None else factor_sets_dir()
    key = (str(base), *(_signature(d) for d in _set_dirs(base)))
    with _lock:
        cached = _default_cache.get(key)
    if cached is not None:
        return cached
    sets, problems = loaded_sets(base)
    if problems:
        raise FactorSetError(problems)
    library = FactorLibrary((*shipped_sets(), *sets))
    with _lock:
        _default_cache.clear()
        _default_cache[key] = library
    return library


@dataclass(frozen=True)
class StoreResult:
    """Outcome of :func:`store_factor_set`."""

    factor_set: FactorSet
    path: Path
    created: bool
    """False when the identical set was already stored (nothing was written)."""


def _sources_of(path: Path, fs: FactorSet) -> Iterable[Path]:
    if path.is_dir():
        yield from (p for p in sorted(path.iterdir()) if p.is_file())
        return
    yield path
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows_file = data.get("rows_file") if isinstance(data, dict) else None
    if rows_file:
        yield path.parent / str(rows_file)


def store_factor_set(
    path: str | Path, *, root: Path | None = None, now: datetime | None = None
) -> StoreResult:
    """Validate a factor-set file and store it in the data directory.

    Parameters
    ----------
    path : str or pathlib.Path
        YAML manifest (rows inline or ``rows_file``) or a directory (docs/factors.md).
    root : pathlib.Path, optional
        Directory of loaded sets (default ``<data dir>/factor-sets``).
    now : datetime, optional
        Time recorded as ``loaded_at`` (default: now, UTC).

    Returns
    -------
    StoreResult

    Raises
    ------
    ecplan.core.errors.FactorSetError
        Invalid file (every problem with file, row and column), or an existing id + version
        with different content (shipped or loaded): sets are never changed in place.
    """
    source = Path(path)
    fs = read_factor_set(source, origin="loaded")
    base = root if root is not None else factor_sets_dir()
    for shipped in shipped_sets():
        if (shipped.id, shipped.version) == (fs.id, fs.version):
            if shipped.digest == fs.digest:
                return StoreResult(shipped, shipped.path or SHIPPED_DIR, created=False)
            raise FactorSetError(
                [
                    FactorSetProblem(
                        str(source),
                        None,
                        "version",
                        f"因子集 {fs.id} 版本 {fs.version} 是平台内置的，内容不同；"
                        "因子集不可修改：请使用新的版本号（如 "
                        f"{_next_version(fs.version)}）。",
                    )
                ]
            )
    target = base / fs.id / fs.version
    if target.exists():
        existing = _read_loaded(target)
        if existing.digest == fs.digest:
            return StoreResult(existing, target, created=False)
        raise FactorSetError(
            [
                FactorSetProblem(
                    str(source),
                    None,
                    "version",
                    f"因子集 {fs.id} 版本 {fs.version} 已经载入且内容不同（{target}）；"
                    "因子集不可修改：请使用新的版本号（如 "
                    f"{_next_version(fs.version)}）。",
                )
            ]
        )
    base.mkdir(parents=True, exist_ok=True)
    (base / fs.id).mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{fs.id}-{fs.version}-", dir=base))
    try:
        (tmp / "manifest.yaml").write_text(manifest_yaml(fs), encoding="utf-8")
        (tmp / "rows.csv").write_text(fs.rows_csv(), encoding="utf-8")
        original = tmp / "original"
        original.mkdir()
        names = []
        for src in _sources_of(source, fs):
            shutil.copy2(src, original / src.name)
            names.append(src.name)
        loaded_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        stored = {
            "id": fs.id,
            "version": fs.version,
            "digest": fs.digest,
            "loaded_at": loaded_at,
            "original_files": names,
        }
        (tmp / "stored.yaml").write_text(
            yaml.safe_dump(stored, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        # Check the stored copy reads back to the same content before making it visible.
        check = read_factor_set(tmp, origin="loaded")
        if check.digest != fs.digest:  # pragma: no cover - would be a writer bug
            raise FactorSetError(
                [FactorSetProblem(str(source), None, "", "写入后校验失败，未保存。")]
            )
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    stored_fs = _read_loaded(target)
    return StoreResult(stored_fs, target, created=True)


def _next_version(version: str) -> str:
    parts = version.split(".")
    parts[0] = str(int(parts[0]) + 1)
    return ".".join(parts[:1])
