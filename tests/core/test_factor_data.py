"""The shipped factor sets: valid, sourced, and never changed without a new version.

A shipped set's id + version must always mean the same content, because results record
them. If this test fails after editing a file under src/ecplan/core/data/factor-sets/, do not
update the digest: copy the set to a new version directory (``<id>/2/``) with
``version: "2"`` in its manifest, and add the new digest here.
"""

from __future__ import annotations

import pytest

from ecplan.core import CARRIERS, Dimension, FactorLibrary, shipped_sets
from ecplan.core.factorsets import ConversionRow

PINNED = {
    "gb-energy-consumption-limits@1": "7284ee106a3230cba97104572c6cd1749f75efb0e90c81b7a978904c58bb93da",
    "gb30251-2024-steam@1": "a13bb154f766e04404add4076d05abf4012bc04fd0094d7cda8a5a010c947578",
    "gbt2589-2020@1": "27e62491f784b9b8d8885b039afd9cf5f25e82247b770c39857f7e8ba72916c8",
    "gbt2589-working-media@1": "4287a76f6a9cbcb006015896cd68e8f0780ebee516904b71643bd7d9632447e9",
    "gbt32150-2025-heat@1": "32f581b9c526c619241704899adfd8dbe5a5829d4d4929e6177b0ef909094908",
    "gbt32151.22-2024-fuels@1": "231a4f4026bae63cc8c7b200a9970843693d2d44b705480b7ecc257a6e605d59",
    "generation-coal-rate@1": "e543c57816e9b39fe43ffd2b0fe25a41483a968884608c762aff63b19728f78b",
    "mee-grid-co2-2021@1": "044b97c5a4f04b425c493992394eea9e4293aa0595f217eba360dd8138f08f61",
    "mee-grid-co2-2022@1": "dbcc9cd4fe69c65f2755b75e02d0bfc82cd878ee1079bff82799fd4bc899919d",
    "mee-grid-co2-2023@1": "056ffa986fb661579093cd9d0ee59d8bfda5afc4814baa4a7e9f2502a40c246b",
    "nbs-statistical-coefficients@1": "42195f4c7419b2b85ecd49a6cea3b54d30aa161ef5cbbaeddabbf762af1b1166",
    "ndrc-2013-steel-fuels@1": "884cc3f75465f3c127c388fef00263406bc5452d6d09a3bb4bdc3914e5116cc4",
    "ndrc-efficiency-benchmarks-2023@1": "a359ddabae1650c060f76f028027d96cebb7196d7681caafc04356a746ce940c",
}  # fmt: skip


def test_shipped_sets_are_pinned() -> None:
    found = {f"{fs.id}@{fs.version}": fs.digest for fs in shipped_sets()}
    assert set(found) >= set(PINNED), "a shipped set version was removed"
    changed = [key for key, digest in PINNED.items() if found[key] != digest]
    assert not changed, f"shipped factor sets changed in place (make a new version): {changed}"
    unpinned = set(found) - set(PINNED)
    assert not unpinned, f"pin the digest of new shipped sets: {unpinned}"


def test_every_row_is_sourced() -> None:
    for fs in shipped_sets():
        assert fs.manifest.documents
        for row in fs.rows:
            assert row.confidence in {"verified-from-source", "from-secondary-source", "uncertain"}
            doc = fs.document_for(row)
            assert doc.title, (fs.id, row.row_id)
            assert row.locator, (fs.id, row.row_id)


def test_no_row_claims_to_be_verified_without_the_reference_saying_so() -> None:
    """The reference CSVs hold no verified-from-source numbers; policy-mechanics [V] marks
    only the 2023 national coal-power rate among the values shipped here."""
    verified = [(fs.id, r.row_id) for fs in shipped_sets() for r in fs.rows
                if r.confidence == "verified-from-source"]  # fmt: skip
    assert verified == [("generation-coal-rate", "GCR-2023-CN")]


def test_documented_choices_are_flagged() -> None:
    lib = FactorLibrary(shipped_sets())
    for carrier in ("briquettes", "other_petroleum_products", "coke_oven_gas"):
        coef = lib.conversion_coefficient(carrier)
        assert coef.uncertain, carrier
        assert coef.alternatives, carrier
    for carrier in ("coal_slime", "converter_gas", "biogas", "fresh_water"):
        rows = [
            r
            for fs in shipped_sets()
            for r in fs.rows
            if isinstance(r, ConversionRow) and r.carrier == carrier
        ]
        assert len(rows) == 1
        row = rows[0]
        assert row.value is None
        assert row.notes


def test_pta_benchmarks_are_not_confirmed() -> None:
    lib = FactorLibrary(shipped_sets())
    rows = lib.benchmarks("精对苯二甲酸")
    assert rows
    assert all(r["uncertain"] for r in rows)
    ndrc = [r for r in rows if r["factor_set_id"] == "ndrc-efficiency-benchmarks-2023"]
    assert {r["level"] for r in ndrc} == {"标杆水平", "基准水平"}
    assert all(r["value"] is None for r in ndrc)


@pytest.mark.parametrize("carrier", [c for c in CARRIERS if c.code != "other_coal_products"])
def test_every_carrier_has_a_conversion_path(carrier: object) -> None:
    """Each carrier converts, or is deliberately without a default (documented)."""
    from ecplan.core import CoefficientRequiredError, tce_coefficient
    from ecplan.core.carriers import Carrier

    assert isinstance(carrier, Carrier)
    lib = FactorLibrary(shipped_sets())
    for dim in carrier.dimensions:
        try:
            f = tce_coefficient(carrier, dim, factor_set=lib)
        except CoefficientRequiredError:
            assert carrier.code in {"coal_slime", "converter_gas", "biogas", "fresh_water"}
            continue
        assert f.value > 0
        if dim is Dimension.STANDARD_COAL:
            assert f.value == 1.0


def test_rows_with_english_notes_are_not_shipped() -> None:
    """Notes are shown to users and must be Chinese (locators may cite English sources)."""
    import re

    for fs in shipped_sets():
        for row in fs.rows:
            assert not re.search(r"[A-Za-z]{5,} [A-Za-z]{3,} [A-Za-z]{3,}", row.notes), (
                fs.id,
                row.row_id,
                row.notes,
            )
