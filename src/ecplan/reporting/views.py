"""Pages of data collection. Thin: resolve access through the policies, parse input, call
one service or presenter, render. Login is required by middleware."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ecplan.accounts import roles
from ecplan.accounts.policies import (
    can,
    can_create,
    check_create,
    check_list,
    get_for_user,
    viewable,
)
from ecplan.audit.services import record as audit_record
from ecplan.core.plan.vocabulary import INDICATORS
from ecplan.organisations.models import Area, Enterprise, Installation, Organisation
from ecplan.reporting import presenters, services
from ecplan.reporting.exports import KINDS, ExportError, export
from ecplan.reporting.forms import EnterpriseForm, ImportForm, InstallationForm, RestateForm
from ecplan.reporting.models import (
    Attachment,
    EnergyResult,
    ImportBatch,
    IndicatorAssignment,
    IndicatorValue,
    Report,
    ReportType,
    Restatement,
    Revision,
    RevisionQuerySet,
    StatisticLine,
)
from ecplan.reporting.periods import Period, PeriodError, parse_period
from ecplan.reporting.records import (
    EnterpriseRecord,
    IndicatorReportRecord,
    IndicatorValueRecord,
    InstallationRecord,
)
from ecplan.reporting.windows import default_period, open_periods
from ecplan.tabular import IssueList
from ecplan.tabular.normalise import CellValueError, parse_number

PAGE_SIZE = 50


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = _disposition(filename)
    return resp


# -- home and lists --------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    reports = viewable(user, Report)
    context = {
        "counts": {t.label: reports.filter(report_type=t.value).count() for t in ReportType},
        "may_import": can_create(user, Report),
        "template_types": _template_types(user),
        "may_admin": can_create(user, Enterprise),
        "may_restate": can_create(user, Restatement),
        "export_kinds": KINDS,
        "open_month": _first_open("energy", "month"),
    }
    return render(request, "reporting/home.html", context)


def _first_open(report_type: str, kind: str) -> str:
    found = open_periods(report_type, kind)
    return found[0].label if found else ""


def _template_types(user: Any) -> dict[str, str]:
    from ecplan.reporting.formats import REPORT_TYPE_LABELS

    return {k: v for k, v in REPORT_TYPE_LABELS.items() if _may_template(user, k)}


def _may_template(user: Any, report_type: str) -> bool:
    if roles.is_read_only(user):
        return False
    if report_type == "enterprises":
        return can_create(user, Enterprise)
    if report_type == "energy":
        return roles.is_plan_admin(user) or bool(roles.enterprise_ids_for(user))
    if report_type == "statistics":
        bureau = viewable(user, Organisation).filter(code="statistics").first()
        return bureau is not None and can(user, "report", bureau)
    return roles.is_plan_admin(user) or bool(
        roles.organisation_ids_for(user, frozenset({"dept_reporter"}))
    )


def report_list(request: HttpRequest) -> HttpResponse:
    qs = viewable(request.user, Report).order_by("-period_start", "report_type", "id")
    report_type = request.GET.get("type", "")
    if report_type in ReportType.values:
        qs = qs.filter(report_type=report_type)
    period_text = request.GET.get("period", "").strip()
    period_error = ""
    if period_text:
        try:
            p = parse_period(period_text)
            qs = qs.filter(period_start__gte=p.start, period_end__lte=p.end)
        except PeriodError as exc:
            period_error = str(exc)
    search = request.GET.get("q", "").strip()
    if search:
        qs = qs.filter(enterprise__name__icontains=search) | qs.filter(
            enterprise__credit_code__icontains=search.upper()
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/report_list.html",
        {
            "rows": presenters.report_rows(request.user, cast(Any, page.object_list)),
            "page": page,
            "types": ReportType.choices,
            "type": report_type,
            "period": period_text,
            "period_error": period_error,
            "q": search,
        },
    )


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(
        request.user, Report.objects.select_related("enterprise", "organisation", "area"), pk=pk
    )
    revisions = viewable(request.user, Revision).filter(report=report)
    number = request.GET.get("revision")
    revision = (
        get_for_user(request.user, revisions, number=number)
        if number
        else revisions.order_by("-number").first()
    )
    if revision is None:
        raise Http404("该报表还没有任何修订")
    context: dict[str, Any] = {
        "report": report,
        "revision": revision,
        "revisions": presenters.revision_rows(report, revision),
        "can_change": can(request.user, "change", report),
    }
    if report.report_type == ReportType.ENERGY:
        context["energy"] = presenters.energy_sections(request.user, revision)
        context["results"] = presenters.result_summaries(request.user, revision, report)
    elif report.report_type == ReportType.STATISTICS:
        context["statistics"] = presenters.statistic_rows(request.user, revision)
    else:
        context["indicators"] = presenters.indicator_rows(request.user, revision, report.period_obj)
    return render(request, "reporting/report_detail.html", context)


def result_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    report = get_for_user(request.user, Report.objects.select_related("enterprise"), pk=pk)
    revision = get_for_user(request.user, Revision, report=report, number=number)
    results = viewable(request.user, EnergyResult).filter(revision=revision)
    version = request.GET.get("version")
    result = (
        get_for_user(request.user, results, version=version)
        if version
        else results.order_by("-version").first()
    )
    if result is None:
        raise Http404("该修订没有核算结果")
    return render(
        request,
        "reporting/result_detail.html",
        {
            "report": report,
            "revision": revision,
            "p": presenters.provenance(request.user, result),
            "versions": list(results.order_by("version").values_list("version", flat=True)),
        },
    )


# -- import ------------------------------------------------------------------------------------

_PENDING_KEY = "reporting_pending_imports"


def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "reporting" / "pending"
    path.mkdir(parents=True, exist_ok=True)
    cutoff = dt.datetime.now().timestamp() - 24 * 3600
    for old in path.glob("*.bin"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return path


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file; errors are listed, warnings are shown for confirmation."""
    if not can_create(request.user, Report) and not can_create(request.user, Enterprise):
        raise PermissionDenied("您没有可以导入的数据")
    form = ImportForm()
    outcome = None
    token = ""
    if request.method == "POST":
        pending = request.session.get(_PENDING_KEY, {})
        token = request.POST.get("token", "")
        if token:
            entry = pending.pop(token, None)
            request.session[_PENDING_KEY] = pending
            if entry is None:
                messages.error(request, "待确认的文件已过期，请重新上传。")
                return redirect("reporting:import")
            path = _pending_dir() / f"{token}.bin"
            if not path.exists():
                messages.error(request, "待确认的文件已过期，请重新上传。")
                return redirect("reporting:import")
            outcome = services.import_file(
                path.read_bytes(),
                acting_user=request.user,
                filename=entry["filename"],
                report_type=entry["report_type"] or None,
                confirm_warnings=True,
                reason=entry["reason"],
                channel="web",
            )
            path.unlink(missing_ok=True)
            token = ""
        else:
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                data = upload.read()
                outcome = services.import_file(
                    data,
                    acting_user=request.user,
                    filename=upload.name,
                    report_type=form.cleaned_data["report_type"] or None,
                    dry_run=form.cleaned_data["dry_run"],
                    reason=form.cleaned_data["reason"],
                    channel="web",
                )
                if outcome.needs_confirmation:
                    token = secrets.token_urlsafe(16)
                    (_pending_dir() / f"{token}.bin").write_bytes(data)
                    pending[token] = {
                        "filename": upload.name,
                        "report_type": outcome.report_type,
                        "reason": form.cleaned_data["reason"],
                    }
                    request.session[_PENDING_KEY] = pending
        if outcome is not None:
            request.session["reporting_last_issues"] = outcome.issues.to_json()
    return render(
        request,
        "reporting/import.html",
        {
            "form": form,
            "outcome": outcome,
            "issues": outcome.issues.sorted() if outcome is not None else None,
            "token": token,
            "template_types": _template_types(request.user),
        },
    )


@require_POST
def import_issues(request: HttpRequest) -> HttpResponse:
    """The problems of the last upload as an Excel list, to send back to whoever filled it."""
    raw = request.session.get("reporting_last_issues")
    if not raw:
        raise Http404("没有问题清单")
    data = json.loads(raw)
    from ecplan.tabular import CellIssue

    issues = IssueList(
        CellIssue(
            d["sheet"],
            d["row"],
            d["column"],
            d["field"],
            d["value"],
            d["message"],
            d["hint"],
            d["severity"],
            d["code"],
        )
        for d in data["issues"]
    )
    return _download(
        issues.to_xlsx(),
        "问题清单.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def template_download(request: HttpRequest, report_type: str) -> HttpResponse:
    from ecplan.reporting.workbooks import template_bytes, template_filename

    if report_type not in ("energy", "statistics", "indicator", "enterprises"):
        raise Http404("未知的报表类型")
    if not _may_template(request.user, report_type):
        raise PermissionDenied("您不填报这类数据")
    period = request.GET.get("period") or None
    if period:
        try:
            parse_period(period)
        except PeriodError as exc:
            raise Http404(str(exc)) from None
    data = template_bytes(report_type, acting_user=request.user, period=period)
    return _download(
        data,
        template_filename(report_type, period),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def import_list(request: HttpRequest) -> HttpResponse:
    check_list(request.user, ImportBatch)
    batches = viewable(request.user, ImportBatch).select_related("created_by")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reporting/import_list.html", {"page": page})


def import_file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    batch = get_for_user(request.user, ImportBatch, "download", pk=pk)
    audit_record(
        "download", actor=request.user, obj=batch, detail=f"下载导入文件“{batch.original_name}”"
    )
    return FileResponse(batch.file.open("rb"), as_attachment=True, filename=batch.original_name)


def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    att = get_for_user(request.user, Attachment, "download", pk=pk)
    audit_record(
        "download", actor=request.user, obj=att, detail=f"下载证明材料“{att.original_name}”"
    )
    return FileResponse(
        att.file.open("rb"),
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )


def export_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("未知的导出内容")
    try:
        result = export(
            kind,
            acting_user=request.user,
            fmt=request.GET.get("format", "xlsx"),
            period=request.GET.get("period") or None,
            revisions=request.GET.get("revisions", "newest"),
        )
    except ExportError as exc:
        return render(
            request, "reporting/message.html", {"title": "无法导出", "text": str(exc)}, status=400
        )
    return _download(result.data, result.filename, result.content_type)


# -- statistics --------------------------------------------------------------------------------


def statistics_page(request: HttpRequest) -> HttpResponse:
    periods = sorted(
        set(
            viewable(request.user, Report)
            .filter(report_type="statistics")
            .values_list("period", flat=True)
        ),
        key=lambda p: Period.parse(p),
        reverse=True,
    )
    chosen = request.GET.get("period") or (periods[0] if periods else "")
    revisions = (
        cast(RevisionQuerySet, viewable(request.user, Revision))
        .filter(report__report_type="statistics", report__period=chosen)
        .newest()
        .select_related("report__area")
    )
    overview = presenters.statistics_overview(revisions, viewable(request.user, StatisticLine))
    return render(
        request,
        "reporting/statistics.html",
        {
            "periods": periods,
            "period": chosen,
            "overview": overview,
            "period_label": Period.parse(chosen).label if chosen else "",
        },
    )


# -- department indicators ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def indicator_entry(request: HttpRequest) -> HttpResponse:
    """Enter the indicator values of one of the user's departments for one period."""
    user = request.user
    orgs = [
        o
        for o in viewable(user, Organisation).filter(
            pk__in=viewable(user, IndicatorAssignment).filter(active=True).values("organisation")
        )
        if can(user, "report", o)
    ]
    if not orgs:
        raise PermissionDenied("您所在部门没有需要填报的计划指标")
    org = next((o for o in orgs if str(o.pk) == request.GET.get("org", "")), orgs[0])
    assignments = list(
        viewable(user, IndicatorAssignment)
        .filter(organisation=org, active=True)
        .order_by("indicator")
    )
    kinds = sorted({a.frequency for a in assignments})
    wanted = request.GET.get("kind", "")
    kind = wanted if wanted in kinds else kinds[0]
    period_text = request.GET.get("period") or str(default_period("indicator", kind))
    try:
        period = parse_period(period_text, kinds=(kind,))
    except PeriodError as exc:
        raise Http404(str(exc)) from None
    rows = [a for a in assignments if a.frequency == kind]
    report = (
        viewable(user, Report)
        .filter(report_type="indicator", organisation=org, period=str(period))
        .first()
    )
    current: dict[str, IndicatorValue] = {}
    if report is not None:
        newest = viewable(user, Revision).filter(report=report).order_by("-number").first()
        for v in viewable(user, IndicatorValue).filter(revision=newest, subject=""):
            current[v.indicator] = v
    outcome = None
    if request.method == "POST":
        values = []
        errors: list[str] = []
        evidence: dict[tuple[int, int], tuple[str, bytes]] = {}
        for a in rows:
            prefix = f"v-{a.indicator}"
            raw = request.POST.get(f"{prefix}-value", "").strip()
            text = request.POST.get(f"{prefix}-text", "").strip()
            upload = request.FILES.get(f"{prefix}-evidence")
            if not raw and not text:
                continue
            try:
                number = parse_number(raw, allow_percent=True) if raw else None
            except CellValueError as exc:
                label = INDICATORS[a.indicator].label if a.indicator in INDICATORS else a.indicator
                errors.append(f"{label}：{exc.message}{exc.hint}")
                continue
            values.append(
                IndicatorValueRecord(
                    a.indicator,
                    value=number,
                    unit=request.POST.get(f"{prefix}-unit", a.unit),
                    text_value=text,
                    comment=request.POST.get(f"{prefix}-comment", ""),
                    evidence_id=current[a.indicator].evidence_id
                    if a.indicator in current
                    else None,
                )
            )
            if upload is not None:
                evidence[(0, len(values) - 1)] = (upload.name or "证明材料", upload.read())
        for error in errors:
            messages.error(request, error)
        if values and not errors:
            version = request.POST.get("version")
            try:
                outcome = services.save_indicator_form(
                    [
                        IndicatorReportRecord(
                            org.name,
                            str(period),
                            values=values,
                            plan_code=rows[0].plan_code if rows else "",
                        )
                    ],
                    evidence,
                    acting_user=user,
                    organisation=org,
                    period=str(period),
                    reason=request.POST.get("reason", ""),
                    confirm_warnings=bool(request.POST.get("confirm")),
                    expected_versions={report.pk: int(version)} if report and version else None,
                )
            except services.ConcurrentEditError as exc:
                messages.error(request, str(exc))
                return redirect(
                    f"{reverse('reporting:indicators')}?org={org.pk}&kind={kind}&period={period}"
                )
            if outcome.stored:
                messages.success(request, outcome.summary())
                return redirect(
                    f"{reverse('reporting:indicators')}?org={org.pk}&kind={kind}&period={period}"
                )
    entries = []
    from ecplan.reporting.computed import compute

    for a in rows:
        shown = current.get(a.indicator)
        d = INDICATORS.get(a.indicator)
        entries.append(
            {
                "code": a.indicator,
                "label": d.label if d else a.indicator,
                "unit": a.unit,
                "value": presenters.num(shown.value) if shown and shown.value is not None else "",
                "text": shown.text_value if shown else "",
                "comment": shown.comment if shown else "",
                "evidence": shown.evidence.original_name if shown and shown.evidence else "",
                "evidence_url": reverse("reporting:evidence", args=[shown.evidence_id])
                if shown and shown.evidence_id
                else "",
                "computed": [
                    presenters.computed_view(c)
                    for c in compute(a.indicator, acting_user=user, period=period)
                ],
                "basis": a.basis,
                "targets": a.target_keys,
            }
        )
    return render(
        request,
        "reporting/indicators.html",
        {
            "orgs": orgs,
            "org": org,
            "kinds": kinds,
            "kind": kind,
            "period": period,
            "entries": entries,
            "report": report,
            "outcome": outcome,
            "issues": outcome.issues.sorted() if outcome else None,
            "version": report.version if report else "",
        },
    )


def assignment_list(request: HttpRequest) -> HttpResponse:
    rows = viewable(request.user, IndicatorAssignment).select_related("organisation")
    return render(
        request,
        "reporting/assignments.html",
        {
            "rows": [
                {
                    "a": a,
                    "label": INDICATORS[a.indicator].label
                    if a.indicator in INDICATORS
                    else a.indicator,
                }
                for a in rows.order_by("organisation_id", "indicator")
            ],
            "may_sync": can_create(request.user, IndicatorAssignment),
        },
    )


@require_POST
def assignment_sync(request: HttpRequest) -> HttpResponse:
    check_create(request.user, IndicatorAssignment)
    try:
        outcome = services.sync_assignments_as(
            request.POST.get("plan", "yangzhou-2025"), acting_user=request.user
        )
    except LookupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, outcome.summary())
    return redirect("reporting:assignments")


# -- enterprises and installations ---------------------------------------------------------------------


def enterprise_list(request: HttpRequest) -> HttpResponse:
    qs = (
        viewable(request.user, Enterprise)
        .select_related("area", "zone")
        .order_by("area_id", "name")
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(credit_code__icontains=q.upper())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/enterprise_list.html",
        {"page": page, "q": q, "may_create": can_create(request.user, Enterprise)},
    )


def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_for_user(
        request.user, Enterprise.objects.select_related("area", "zone", "region"), pk=pk
    )
    installations = (
        viewable(request.user, Installation).filter(enterprise=enterprise).select_related("parent")
    )
    reports = (
        viewable(request.user, Report).filter(enterprise=enterprise).order_by("-period_start")[:24]
    )
    return render(
        request,
        "reporting/enterprise_detail.html",
        {
            "e": enterprise,
            "installations": presenters.installation_rows(
                list(installations.order_by("parent_id", "code"))
            ),
            "reports": presenters.report_rows(
                request.user,
                viewable(request.user, Report)
                .filter(pk__in=[r.pk for r in reports])
                .order_by("-period_start"),
            ),
            "may_change": can(request.user, "change", enterprise),
            "may_add_installation": can_create(request.user, Installation),
        },
    )


def _areas(user: Any) -> tuple[list[Area], list[Area]]:
    areas = list(viewable(user, Area).order_by("id"))
    return [a for a in areas if a.is_county_level], [
        a for a in areas if a.kind == Area.Kind.FUNCTIONAL_ZONE
    ]


def _registry_issues(request: HttpRequest, outcome: Any) -> None:
    for issue in outcome.issues.sorted():
        level = messages.ERROR if issue.severity == "error" else messages.WARNING
        messages.add_message(request, level, issue.text())


@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    enterprise = None
    if pk is not None:
        enterprise = get_for_user(request.user, Enterprise, "change", pk=pk)
    else:
        check_create(request.user, Enterprise)
    counties, zones = _areas(request.user)
    initial = {}
    if enterprise is not None:
        initial = {
            "credit_code": enterprise.credit_code,
            "name": enterprise.name,
            "area": enterprise.area.code,
            "zone": enterprise.zone.code if enterprise.zone else "",
            "industry_code": enterprise.industry_code,
            "key_unit_class": enterprise.key_unit_class,
            "budget_managed": enterprise.budget_managed,
        }
    form = EnterpriseForm(request.POST or None, initial=initial, areas=counties, zones=zones)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if enterprise is not None and data["credit_code"].strip().upper() != enterprise.credit_code:
            messages.error(request, "统一社会信用代码不能修改；代码有误的企业请联系系统管理员。")
        else:
            outcome = services.save_enterprises(
                [
                    EnterpriseRecord(
                        data["credit_code"],
                        data["name"],
                        data["area"],
                        zone=data["zone"] or None,
                        industry_code=data["industry_code"],
                        key_unit_class=data["key_unit_class"],
                        budget_managed=data["budget_managed"],
                        is_demo=enterprise.is_demo if enterprise else False,
                    )
                ],
                acting_user=request.user,
                channel="form",
            )
            if outcome.stored:
                messages.success(request, outcome.summary())
                return redirect("reporting:enterprise-detail", pk=outcome.objects[0].pk)
            _registry_issues(request, outcome)
    return render(request, "reporting/enterprise_form.html", {"form": form, "e": enterprise})


@require_http_methods(["GET", "POST"])
def installation_edit(
    request: HttpRequest, pk: int | None = None, enterprise_pk: int | None = None
) -> HttpResponse:
    installation = None
    if pk is not None:
        installation = get_for_user(
            request.user,
            Installation.objects.select_related("enterprise", "parent"),
            "change",
            pk=pk,
        )
        enterprise = installation.enterprise
    else:
        enterprise = get_for_user(request.user, Enterprise, pk=enterprise_pk)
        check_create(request.user, Installation, enterprise=enterprise)
    initial: dict[str, Any] = {}
    if installation is not None:
        initial = {
            f: getattr(installation, f)
            for f in (
                "code",
                "name",
                "kind",
                "product",
                "variant",
                "dc_status",
                "plant_type",
                "fuel",
                "commissioned_on",
                "closed_on",
                "notes",
            )
        }
        for f in ("capacity_t_per_a", "it_capacity_kw", "capacity_mw", "evaporation_t_per_h"):
            v = getattr(installation, f)
            initial[f] = float(v) if v is not None else None
        initial["parent"] = installation.parent.code if installation.parent else ""
    form = InstallationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if installation is not None and d["code"] != installation.code:
            messages.error(
                request,
                "装置编号不能修改（报表按编号识别装置）；请新增装置并把旧装置填写关停日期。",
            )
        else:
            outcome = services.save_installations(
                [
                    InstallationRecord(
                        enterprise.credit_code,
                        d["code"],
                        d["name"],
                        d["kind"],
                        product=d["product"],
                        variant=d["variant"],
                        capacity_t_per_a=d["capacity_t_per_a"],
                        it_capacity_kw=d["it_capacity_kw"],
                        dc_status=d["dc_status"],
                        plant_type=d["plant_type"],
                        capacity_mw=d["capacity_mw"],
                        evaporation_t_per_h=d["evaporation_t_per_h"],
                        fuel=d["fuel"],
                        parent=d["parent"],
                        commissioned_on=d["commissioned_on"],
                        closed_on=d["closed_on"],
                        notes=d["notes"],
                        is_demo=installation.is_demo if installation else enterprise.is_demo,
                    )
                ],
                acting_user=request.user,
                channel="form",
            )
            if outcome.stored:
                messages.success(request, outcome.summary())
                return redirect("reporting:enterprise-detail", pk=enterprise.pk)
            _registry_issues(request, outcome)
    return render(
        request,
        "reporting/installation_form.html",
        {"form": form, "e": enterprise, "installation": installation},
    )


# -- restatement ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def restatement_list(request: HttpRequest) -> HttpResponse:
    check_list(request.user, Restatement)
    form = RestateForm(request.POST or None)
    if request.method == "POST":
        check_create(request.user, Restatement)
        if form.is_valid():
            try:
                outcome = services.restate_selection(
                    acting_user=request.user,
                    reason=form.cleaned_data["reason"],
                    period=form.cleaned_data["period"] or None,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ValueError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    ("（试运行）" if form.cleaned_data["dry_run"] else "") + outcome.summary(),
                )
                return redirect("reporting:restatements")
    rows = viewable(request.user, Restatement).select_related("created_by")
    return render(request, "reporting/restatements.html", {"form": form, "rows": rows})
