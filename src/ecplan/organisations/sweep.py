"""URL sweep declarations of the organisation pages (docs/permissions.md, "URL sweep")."""

from __future__ import annotations

from ecplan.accounts.sweep import Case, sweep
from ecplan.accounts.testing import Persona, World


@sweep.url("organisations:detail")
def _detail(world: World, p: Persona) -> Case:
    own = {"region": world.region.code, "code": world.dept.code}
    other = {"region": world.region.code, "code": world.other_dept.code}
    missing = {"region": world.region.code, "code": "no-such-department"}
    if p.role is None:
        return Case(refused=[own, other, missing])
    return Case(allowed=[own, other], refused=[missing])
