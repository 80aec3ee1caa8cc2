"""Enterprises and installations: credit codes, areas, kinds — from records and files."""

from __future__ import annotations

import pytest

from ecplan.accounts.credit_code import make_credit_code
from ecplan.accounts.testing import World
from ecplan.audit.models import AuditEvent
from ecplan.organisations.models import Enterprise, Installation
from ecplan.reporting.formats import ENTERPRISE_SHEET, INSTALLATION_REGISTRY_SHEET
from ecplan.reporting.records import EnterpriseRecord, InstallationRecord
from ecplan.reporting.services import import_file, save_enterprises, save_installations

from .builders import xlsx

CODE = make_credit_code("321081", "NEWE0002")


def test_enterprises_need_a_valid_code_and_a_county_level_area(world: World) -> None:
    admin = world.persona("plan_admin").user
    bad = [
        EnterpriseRecord(CODE[:-1] + ("0" if CODE[-1] != "0" else "1"), "示例甲", "仪征市"),
        EnterpriseRecord(make_credit_code("321003", "NEWE0003"), "示例乙", "扬州经济技术开发区"),
        EnterpriseRecord(
            make_credit_code("321003", "NEWE0004"), "示例丙", "仪征市", zone="扬州经济技术开发区"
        ),
    ]
    outcome = save_enterprises(bad, acting_user=admin)
    assert [i.code for i in outcome.issues.errors] == [
        "credit_code_check",
        "area_unknown",
        "zone_mismatch",
    ]
    assert Enterprise.objects.count() == 3  # the world's three, nothing added
    good = save_enterprises(
        [
            EnterpriseRecord(
                CODE,
                "示例新材料有限公司",
                "321081",
                key_unit_class="1万吨以上",
                industry_code="c2614",
                budget_managed=True,
            )
        ],
        acting_user=admin,
    )
    assert good.stored
    e = Enterprise.objects.get(credit_code=CODE)
    assert (e.key_unit_class, e.industry_code, e.area.name) == ("over_10k", "C2614", "仪征市")
    assert (
        AuditEvent.objects.filter(action="create", object_type="organisations.Enterprise").count()
        == 1
    )


@pytest.mark.parametrize("persona", ["enterprise", "area_user", "dept_reporter", "leader"])
def test_only_the_plan_office_registers(world: World, persona: str) -> None:
    outcome = save_enterprises(
        [EnterpriseRecord(CODE, "示例", "仪征市")], acting_user=world.persona(persona).user
    )
    assert not outcome.stored
    assert [i.code for i in outcome.issues.errors] == ["permission_denied"]


def test_installations_by_kind(world: World) -> None:
    admin = world.persona("plan_admin").user
    code = world.e_yizheng.credit_code
    outcome = save_installations(
        [
            InstallationRecord(
                code,
                "CHP",
                "热电厂",
                "电厂或热电厂",
                plant_type="热电联产",
                capacity_mw=100,
                fuel="煤炭",
            ),
            InstallationRecord(
                code, "G1", "1号机组", "generating_unit", parent="CHP", capacity_mw=50, fuel="coal"
            ),
            InstallationRecord(
                code,
                "NaOH",
                "烧碱",
                "生产装置",
                product="烧碱",
                variant="离子膜法固碱≥98%",
                capacity_t_per_a=100_000,
            ),
        ],
        acting_user=admin,
    )
    assert outcome.stored, outcome.issues.to_text()
    g1 = Installation.objects.get(code="G1")
    assert g1.parent is not None
    assert g1.parent.code == "CHP"
    bad = save_installations(
        [
            InstallationRecord(code, "X1", "烧碱2", "production_unit", product="caustic_soda"),
            InstallationRecord(code, "X2", "锅炉", "boiler", it_capacity_kw=5),
            InstallationRecord(code, "X3", "机组", "generating_unit", parent="NOPE"),
        ],
        acting_user=admin,
    )
    codes = [i.code for i in bad.issues.errors]
    assert codes == ["installation_invalid", "installation_invalid", "parent_unknown"]
    assert "液碱≥30%" in bad.issues.errors[0].message
    assert Installation.objects.count() == 3


def test_registry_file_round_trip(world: World) -> None:
    admin = world.persona("plan_admin").user
    ent_header = [c.label for c in ENTERPRISE_SHEET.columns]
    inst_header = [c.label for c in INSTALLATION_REGISTRY_SHEET.columns]
    data = xlsx(
        {
            "企业": [
                ent_header,
                [
                    CODE,
                    "示例化纤有限公司",
                    "仪征市",
                    None,
                    "C2822",
                    "年综合能耗1万吨标准煤及以上",
                    "是",
                ],
            ],
            "装置": [
                inst_header,
                [CODE, "PTA-1", "1号PTA", "生产装置", "精对苯二甲酸（PTA）", None, 1_000_000],
            ],
        }
    )
    outcome = import_file(data, acting_user=admin, filename="名录.xlsx")
    assert outcome.stored, outcome.issues.to_text()
    assert Installation.objects.get(code="PTA-1").enterprise.credit_code == CODE
    # an installation that fails leaves the enterprise of the same file unstored too
    other = make_credit_code("321081", "NEWE0005")
    data = xlsx(
        {
            "企业": [ent_header, [other, "示例乙", "仪征市", None, None, None, None]],
            "装置": [
                inst_header,
                [other, "B1", "锅炉", "锅炉", None, None, None, None, None, None, None, -4],
            ],
        }
    )
    outcome = import_file(data, acting_user=admin, filename="名录2.xlsx")
    assert not outcome.stored
    assert not Enterprise.objects.filter(credit_code=other).exists()
