"""Organisation pages: departments and bodies, a department's plan responsibilities, areas."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ecplan.accounts.policies import get_for_user, viewable
from ecplan.organisations.models import Area, Organisation
from ecplan.plans import presenters
from ecplan.plans.models import PlanVersion


def organisation_list(request: HttpRequest) -> HttpResponse:
    current = Q(
        plan_responsibilities__version__plan__current_version=F("plan_responsibilities__version")
    )
    orgs = (
        viewable(request.user, Organisation)
        .select_related("region")
        .annotate(
            n_lead=Count(
                "plan_responsibilities", filter=current & Q(plan_responsibilities__role="lead")
            ),
            n_joint=Count(
                "plan_responsibilities", filter=current & Q(plan_responsibilities__role="joint")
            ),
            n_cooperating=Count(
                "plan_responsibilities",
                filter=current & Q(plan_responsibilities__role="cooperating"),
            ),
        )
        .order_by("region", "id")
    )
    rows = [
        {
            "name": o.name,
            "full_name": o.full_name,
            "kind": o.get_kind_display(),
            "region": o.region.name,
            "aliases": o.aliases,
            "is_plan_office": o.is_plan_office,
            "lead": o.n_lead,
            "joint": o.n_joint,
            "cooperating": o.n_cooperating,
            "url": reverse("organisations:detail", args=[o.region.code, o.code]),
        }
        for o in orgs
    ]
    return render(request, "organisations/organisation_list.html", {"organisations": rows})


def organisation_detail(request: HttpRequest, region: str, code: str) -> HttpResponse:
    org = get_for_user(
        request.user, Organisation.objects.select_related("region"), region__code=region, code=code
    )
    versions = viewable(request.user, PlanVersion).filter(plan__current_version=F("pk"))
    return render(
        request,
        "organisations/organisation_detail.html",
        {"org": presenters.department(org, versions)},
    )


def area_list(request: HttpRequest) -> HttpResponse:
    areas = viewable(request.user, Area).select_related("region", "parent").order_by("region", "id")
    rows = [
        {
            "name": a.name,
            "code": a.code,
            "kind": a.get_kind_display(),
            "region": a.region.name,
            "parent": a.parent.name if a.parent else "",
            "is_zone": a.kind == Area.Kind.FUNCTIONAL_ZONE,
            "is_county_level": a.is_county_level,
            "parent_uncertain": a.parent_confidence == "uncertain",
            "aliases": a.aliases,
        }
        for a in areas
    ]
    return render(request, "organisations/area_list.html", {"areas": rows})
