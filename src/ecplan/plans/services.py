"""Loading plans into the database: versioned, idempotent, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from ecplan.core.plan import LoadedPlan, load_plan, plan_files, plan_to_dict, resolve_tolerance
from ecplan.core.plan.schema import (
    Ref,
)
from ecplan.core.plan.schema import (
    Responsibility as ResponsibilitySpec,
)
from ecplan.core.plan.schema import (
    Section as SectionSpec,
)
from ecplan.core.plan.vocabulary import UNITS, UnitDef
from ecplan.core.registry import load_registry
from ecplan.organisations.models import Organisation, Region
from ecplan.organisations.services import sync_registry
from ecplan.plans.models import (
    Mention,
    Milestone,
    Plan,
    PlanSetting,
    PlanVersion,
    Responsibility,
    Rule,
    Section,
    TableRow,
    Target,
    Task,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


class PlanVersionConflict(ValueError):
    """A plan file changed but kept a version label that is already loaded."""


@dataclass(frozen=True)
class LoadResult:
    version: PlanVersion
    created: bool


class _Builder:
    """Creates the rows of one plan version from a checked plan file."""

    def __init__(self, loaded: LoadedPlan, version: PlanVersion, region: Region) -> None:
        self.loaded = loaded
        self.plan = loaded.plan
        self.version = version
        self.position = 0
        codes = {o.code: o for o in Organisation.objects.filter(region=region)}
        self.orgs: dict[str, Organisation] = {}
        for org in loaded.registry.organisations:
            for name in (org.code, org.name, org.full_name, *org.aliases):
                if name:
                    self.orgs[name] = codes[org.code]
        self.units: dict[str, UnitDef] = dict(UNITS)
        for u in self.plan.units:
            self.units[u.name] = UnitDef(u.name, u.canonical, u.factor, u.label)
        self.targets: dict[str, Target] = {}
        self.milestones: dict[str, Milestone] = {}
        self.rules: dict[str, Rule] = {}
        self.mentions: list[Mention] = []
        self.responsibilities: list[Responsibility] = []

    def next_position(self) -> int:
        self.position += 1
        return self.position

    def organisation(self, name: str) -> Organisation:
        return self.orgs[name.strip()]

    # -- objects ------------------------------------------------------------------------
    def build_objects(self) -> None:
        for s in self.plan.settings:
            value: Any = s.value
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else str(value)
            PlanSetting.objects.create(
                version=self.version,
                position=self.next_position(),
                key=s.key,
                label=s.label,
                value=value,
                unit=s.unit,
                choices=dict(s.choices),
                from_text=s.from_text,
                confirmed=s.confirmed,
                note=s.note,
            )
        for t in self.plan.targets:
            unit = self.units[t.unit]
            tol = resolve_tolerance(self.plan, t)
            self.targets[t.id] = Target.objects.create(
                version=self.version,
                position=self.next_position(),
                key=t.id,
                name=t.name,
                indicator=t.indicator,
                subject=t.subject,
                kind=t.kind,
                unit=t.unit,
                canonical_unit=unit.canonical,
                value=t.value,
                value_canonical=t.value * unit.factor if t.value is not None else None,
                comparator=t.comparator,
                comparator_stated=t.comparator_stated,
                direction=t.direction,
                approximate=t.approximate,
                tolerance_value=tol.value if tol else None,
                tolerance_mode=tol.mode if tol else "",
                tolerance_absolute=tol.absolute if tol else None,
                tolerance_absolute_canonical=tol.absolute * unit.factor
                if tol is not None and tol.absolute is not None
                else None,
                tolerance_setting=(tol.setting or "") if tol else "",
                tolerance_confirmed=tol.confirmed if tol else False,
                aspirational=t.aspirational,
                baseline_year=t.baseline_year,
                baseline_stated=t.baseline_stated,
                baseline_note=t.baseline_note,
                deadline=t.deadline,
                deadline_year=t.deadline_year,
                deadline_stated=t.deadline_stated,
                state=t.state,
                value_entry=t.value_entry,
                compare_to=t.compare_to or "",
                source_quote=t.source_quote,
                wording=t.wording or "",
                basis=t.basis,
                context=t.context,
                placeholder=t.placeholder or "",
                settings=list(t.settings),
                notes=t.notes,
            )
        errata = {e.id: e.model_dump() for e in self.plan.errata}
        for m in self.plan.milestones:
            self.milestones[m.id] = Milestone.objects.create(
                version=self.version,
                position=self.next_position(),
                key=m.id,
                title=m.title,
                subject=m.subject,
                action=m.action,
                kind=m.kind,
                description=m.description,
                deadline=m.deadline or "",
                state=m.state,
                indicator=m.indicator or "",
                criteria=[c.model_dump(mode="json") for c in m.criteria],
                errata=[errata[e] for e in m.errata],
                source_quote=m.source_quote,
                notes=m.notes,
            )
        for r in self.plan.rules:
            self.rules[r.id] = Rule.objects.create(
                version=self.version,
                position=self.next_position(),
                key=r.id,
                title=r.title,
                scope=r.scope,
                applies_to=r.applies_to,
                condition=r.condition,
                requirement=r.requirement,
                criteria=[c.model_dump(mode="json") for c in r.criteria],
                deadline=r.deadline or "",
                source_quote=r.source_quote,
                notes=r.notes,
            )

    # -- places ---------------------------------------------------------------------------
    def mention(
        self,
        place: dict[str, Any],
        targets: tuple[Ref, ...],
        milestones: tuple[Ref, ...],
        rules: tuple[Ref, ...],
    ) -> None:
        for field, refs, objs in (
            ("target", targets, self.targets),
            ("milestone", milestones, self.milestones),
            ("rule", rules, self.rules),
        ):
            for ref in refs:
                self.mentions.append(
                    Mention(
                        version=self.version,
                        position=self.next_position(),
                        quote=ref.quote or "",
                        **place,
                        **{field: objs[ref.id]},
                    )
                )

    def responsibility(self, place: dict[str, Any], spec: ResponsibilitySpec) -> None:
        for role, name in spec.named:
            self.responsibilities.append(
                Responsibility(
                    version=self.version,
                    position=self.next_position(),
                    source=Responsibility.Source.TEXT,
                    role=role,
                    organisation=self.organisation(name),
                    name=name,
                    **place,
                )
            )
        if spec.generic:
            self.responsibilities.append(
                Responsibility(
                    version=self.version,
                    position=self.next_position(),
                    source=Responsibility.Source.TEXT,
                    role=Responsibility.Role.GENERIC,
                    organisation=None,
                    name=spec.generic,
                    **place,
                )
            )

    @staticmethod
    def responsibility_fields(spec: ResponsibilitySpec | None) -> dict[str, Any]:
        if spec is None:
            return {}
        return {
            "responsibility_quote": spec.quote,
            "responsibility_generic": spec.generic or "",
            "responsibility_and_others": spec.and_others,
        }

    def build_sections(self) -> dict[str, Task]:
        tasks: dict[str, Task] = {}

        def visit(specs: tuple[SectionSpec, ...], parent: Section | None, level: int) -> None:
            for spec in specs:
                section = Section.objects.create(
                    version=self.version,
                    position=self.next_position(),
                    key=spec.id,
                    parent=parent,
                    kind=spec.kind,
                    level=level,
                    number=spec.number,
                    label=spec.label,
                    heading=spec.heading,
                    title=spec.title,
                    text=spec.text,
                    **self.responsibility_fields(spec.responsibility),
                )
                self.mention({"section": section}, spec.targets, spec.milestones, spec.rules)
                if spec.responsibility:
                    self.responsibility({"section": section}, spec.responsibility)
                for t in spec.tasks:
                    task = Task.objects.create(
                        version=self.version,
                        position=self.next_position(),
                        section=section,
                        key=t.id,
                        number=t.number,
                        label=t.label,
                        title=t.title,
                        text=t.text,
                        **self.responsibility_fields(t.responsibility),
                    )
                    tasks[t.id] = task
                    self.mention({"task": task}, t.targets, t.milestones, t.rules)
                    if t.responsibility:
                        self.responsibility({"task": task}, t.responsibility)
                visit(spec.sections, section, level + 1)

        visit(self.plan.sections, None, 1)
        return tasks

    def build_table(self, tasks: dict[str, Task]) -> None:
        if self.plan.table is None:
            return
        for group in self.plan.table.groups:
            for r in group.rows:
                row = TableRow.objects.create(
                    version=self.version,
                    position=self.next_position(),
                    task=tasks[r.task],
                    number=r.number,
                    group_heading=group.heading,
                    text=r.text,
                    departments=list(r.departments),
                )
                self.mention({"table_row": row}, r.targets, r.milestones, r.rules)
                role = (
                    Responsibility.Role.LEAD
                    if len(r.departments) == 1
                    else Responsibility.Role.JOINT
                )
                for name in r.departments:
                    self.responsibilities.append(
                        Responsibility(
                            version=self.version,
                            position=self.next_position(),
                            source=Responsibility.Source.TABLE,
                            role=role,
                            organisation=self.organisation(name),
                            name=name,
                            table_row=row,
                        )
                    )

    def run(self) -> None:
        self.build_objects()
        tasks = self.build_sections()
        self.build_table(tasks)
        Mention.objects.bulk_create(self.mentions)
        Responsibility.objects.bulk_create(self.responsibilities)


@transaction.atomic
def load_plan_version(loaded: LoadedPlan, *, acting_user: Any | None) -> LoadResult:
    """Store a checked plan file as a version of its plan; idempotent.

    - The same content (same hash) already loaded: nothing changes (``created`` is false).
    - A new version label: the version is added beside the existing ones and becomes the
      plan's current version.
    - A known label with different content: refused with :class:`PlanVersionConflict` —
      a loaded version is never edited in place.

    The region's organisations registry is synchronised first, so every department the plan
    names resolves to an :class:`~ecplan.organisations.models.Organisation`.

    Parameters
    ----------
    loaded : LoadedPlan
        From :func:`ecplan.core.plan.load_plan` (already checked against text and registry).
    acting_user : User or None
        Who loads it; ``None`` for the platform itself loading its shipped plans.
    """
    meta = loaded.plan.plan
    region = sync_registry(loaded.registry)
    plan, _ = Plan.objects.select_for_update().get_or_create(
        code=meta.id, defaults={"title": meta.title, "region": region}
    )
    if plan.region_id != region.pk:
        raise PlanVersionConflict(
            f"计划 {meta.id} 已属于地区 {plan.region}，不能再作为 {region} 的计划载入。"
        )
    same_hash = plan.versions.filter(content_hash=loaded.content_hash).first()
    if same_hash is not None:
        return LoadResult(same_hash, created=False)
    existing = plan.versions.filter(label=meta.version).first()
    if existing is not None:
        raise PlanVersionConflict(
            f"计划 {meta.id} 的版本“{meta.version}”已于 {existing.loaded_at:%Y-%m-%d %H:%M} 载入，"
            f"但文件内容已改变（已载入内容哈希 {existing.content_hash[:12]}…，"
            f"此文件 {loaded.content_hash[:12]}…）。已载入的版本不能修改：请在 plan.version 中填写"
            "新的版本号（例如 v2），并在 plan.change_note 中说明修改内容，然后重新载入；新版本会与旧版本并存。"
        )
    version = PlanVersion.objects.create(
        plan=plan,
        label=meta.version,
        status=meta.status,
        title=meta.title,
        date=meta.date,
        date_note=meta.date_note,
        plan_year=meta.plan_year,
        preamble=meta.preamble,
        change_note=meta.change_note,
        implements=[d.model_dump() for d in meta.implements],
        content_hash=loaded.content_hash,
        source_file=str(loaded.path),
        text_file_name=loaded.text_path.name,
        raw_file=loaded.raw,
        plan_text=loaded.text,
        data=plan_to_dict(loaded),
        loaded_by=acting_user,
    )
    _Builder(loaded, version, region).run()
    plan.title = meta.title
    plan.current_version = version
    plan.save(update_fields=["title", "current_version"])
    return LoadResult(version, created=True)


def load_shipped_plans() -> list[str]:
    """Synchronise the shipped registries and load the shipped plans; return the plan ids.

    Idempotent: run on every ``ecplan serve``; unchanged files change nothing.
    """
    for registry_file in sorted(DATA_DIR.glob("*/organisations.yaml")):
        sync_registry(load_registry(registry_file))
    loaded_ids = []
    for path in plan_files(DATA_DIR):
        result = load_plan_version(load_plan(path), acting_user=None)
        loaded_ids.append(result.version.plan.code)
    return loaded_ids
