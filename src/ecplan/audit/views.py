"""Audit trail pages: search, one event, export (plan and system administrators)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Max
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ecplan.accounts.policies import check_list, get_for_user, viewable
from ecplan.audit.exports import XLSX_MAX_ROWS, chunked, csv_chunks, write_xlsx
from ecplan.audit.forms import AuditFilterForm
from ecplan.audit.models import AuditEvent
from ecplan.audit.presenters import change_rows
from ecplan.audit.services import record


def _form(request: HttpRequest) -> AuditFilterForm:
    scoped = viewable(request.user, AuditEvent)
    types = (
        scoped.exclude(object_type="")
        .values_list("object_type", "object_type_label")
        .distinct()
        .order_by("object_type")
    )
    choices = {t: (label or t) for t, label in types}
    params = request.GET.copy()
    for key in ("page", "format"):
        params.pop(key, None)
    return AuditFilterForm(
        params or None, object_types=sorted(choices.items(), key=lambda kv: kv[1])
    )


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    check_list(request.user, AuditEvent)
    form = _form(request)
    qs = viewable(request.user, AuditEvent)
    if form.is_bound and form.is_valid():
        qs = form.apply(qs)
    elif form.is_bound:
        qs = qs.none()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": params.urlencode()},
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_for_user(request.user, AuditEvent, pk=pk)
    return render(
        request, "audit/event_detail.html", {"event": event, "changes": change_rows(event)}
    )


@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    check_list(request.user, AuditEvent)
    fmt = request.GET.get("format", "xlsx")
    form = _form(request)
    if fmt not in ("csv", "xlsx"):
        return render(
            request,
            "audit/export_error.html",
            {"message": f"不支持的导出格式“{fmt}”，请选择 csv 或 xlsx。"},
            status=400,
        )
    if form.is_bound and not form.is_valid():
        problems = [
            f"{form.fields[name].label if name in form.fields else '条件'}：{'，'.join(str(e) for e in errs)}"
            for name, errs in form.errors.items()
        ]
        return render(
            request,
            "audit/export_error.html",
            {"message": "筛选条件有误：" + "；".join(problems)},
            status=400,
        )
    qs = viewable(request.user, AuditEvent)
    if form.is_bound:
        qs = form.apply(qs)
    # Fix the exported set before recording the export, so the file and its record agree.
    last = qs.aggregate(m=Max("pk"))["m"] or 0
    qs = qs.filter(pk__lte=last)
    count = qs.count()
    if fmt == "xlsx" and count > XLSX_MAX_ROWS:
        return render(
            request,
            "audit/export_error.html",
            {
                "message": f"符合条件的记录有 {count} 条，超过 Excel 单表上限 {XLSX_MAX_ROWS} 条；请缩小日期范围或改用 CSV 导出。"
            },
            status=400,
        )
    filters = form.describe()
    record(
        "export",
        actor=request.user,
        request=request,
        object_type="audit.AuditEvent",
        object_type_label="审计日志",
        detail=f"导出审计日志 {fmt.upper()}，{count} 条；筛选条件：{filters}",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    filename = f"审计日志-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in csv_chunks(chunked(qs))),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = _disposition(filename)
        return response
    about = [
        ("平台", "节能降碳行动计划管理平台"),
        ("内容", "审计日志（只追加，不可修改）"),
        ("导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")),
        ("导出人", str(request.user)),
        ("筛选条件", filters),
        ("记录数", str(count)),
    ]
    return FileResponse(
        write_xlsx(chunked(qs), about),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"audit.csv\"; filename*=UTF-8''{quote(filename)}"
