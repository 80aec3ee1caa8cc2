"""One definition of the data directory (used by the settings and the factor store)."""

from __future__ import annotations

from pathlib import Path

from ecplan.core import data_dir, factor_sets_dir


def test_explicit_data_dir(tmp_path: Path) -> None:
    assert data_dir({"ECPLAN_DATA_DIR": str(tmp_path)}) == tmp_path.resolve()


def test_xdg_then_home(tmp_path: Path) -> None:
    assert data_dir({"XDG_DATA_HOME": str(tmp_path)}) == (tmp_path / "ecplan").resolve()
    assert (
        data_dir({"ECPLAN_DATA_DIR": "", "XDG_DATA_HOME": ""})
        == (Path.home() / ".local" / "share" / "ecplan").resolve()
    )


def test_user_home_is_expanded() -> None:
    assert data_dir({"ECPLAN_DATA_DIR": "~/ecplan-x"}) == (Path.home() / "ecplan-x").resolve()


def test_factor_sets_dir_is_under_the_data_dir(data_dir: Path) -> None:
    assert factor_sets_dir() == data_dir.resolve() / "factor-sets"
    assert factor_sets_dir(Path("/srv/x")) == Path("/srv/x/factor-sets")


def test_settings_use_the_core_definition() -> None:
    from django.conf import settings

    assert settings.ECPLAN_FACTOR_DIR == settings.DATA_DIR / "factor-sets"
    assert data_dir({"ECPLAN_DATA_DIR": str(settings.DATA_DIR)}) == settings.DATA_DIR
