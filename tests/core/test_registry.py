from pathlib import Path

import pytest

from ecplan.core.datafile import DataFileError
from ecplan.core.registry import load_registry

YANGZHOU = Path(__file__).resolve().parents[2] / "src/ecplan/plans/data/yangzhou/organisations.yaml"


def test_yangzhou_registry_resolves_aliases_and_zones() -> None:
    reg = load_registry(YANGZHOU)
    assert reg.resolve_organisation("市机关事务局").code == "government-offices"  # type: ignore[union-attr]
    assert reg.resolve_organisation("生态环境局").code == "ecology-environment"  # type: ignore[union-attr]
    assert reg.resolve_organisation("市不存在局") is None
    assert reg.plan_office is not None
    assert reg.plan_office.name == "市发改委"
    assert [a.name for a in reg.county_level_areas] == [
        "广陵区",
        "邗江区",
        "江都区",
        "宝应县",
        "仪征市",
        "高邮市",
    ]
    zone = reg.resolve_area("生态科技新城")
    assert zone is not None
    assert zone.kind == "functional_zone"
    assert zone.parent == "321002"


def test_registry_errors_are_chinese_with_location(tmp_path: Path) -> None:
    bad = tmp_path / "org.yaml"
    bad.write_text(
        "schema_version: 1\nregion: {code: '1', name: 甲市}\norganisations:\n"
        "  - {code: a, name: 市甲局, kind: ministry}\nareas: []\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as err:
        load_registry(bad)
    text = str(err.value)
    assert "organisations[0].kind" in text
    assert "取值不在允许范围内" in text
