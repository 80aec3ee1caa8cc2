"""简体中文 is the default interface language; English is available through the language switch.

The English catalogue (src/ecplan/locale/en/LC_MESSAGES/django.po) uses the Chinese template
strings as message ids; these tests check it covers every template string and that the compiled
catalogue the server loads (django.mo) matches the source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

import ecplan

SRC = Path(ecplan.__file__).resolve().parent
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
TRANSLATE = re.compile(r'\{% translate "([^"]*)" %\}')


def _po_entries() -> dict[str, str]:
    text = PO.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', text, flags=re.M)
    return {k: v for k, v in pairs if k}


def test_every_template_string_has_an_english_translation() -> None:
    entries = _po_entries()
    used = {m for f in SRC.rglob("templates/**/*.html") for m in TRANSLATE.findall(f.read_text())}
    assert len(used) > 150  # the web shell, plan, organisation and login pages
    untranslated = sorted(u for u in used if not entries.get(u))  # " " drops a measure word
    assert not untranslated, "django.po 缺少这些界面文字的英文：" + "、".join(untranslated)


def test_compiled_catalogue_matches_the_source() -> None:
    entries = _po_entries()
    with translation.override("en"):
        stale = sorted(k for k, v in entries.items() if translation.gettext(k) != v)
    assert not stale, "django.mo 与 django.po 不一致，请重新编译（msgfmt）：" + "、".join(
        stale[:10]
    )


@pytest.mark.django_db
def test_login_page_is_chinese_by_default_and_english_on_request(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "节能降碳行动计划管理平台" in page
    assert "用户名" in page
    assert 'lang="zh-hans"' in page
    english = Client(headers={"accept-language": "en"})
    page = english.get("/accounts/login/").content.decode()
    assert "Energy-Saving and Carbon-Reduction Action Plan Platform" in page
    assert ">English</option>" in page  # each language named in its own words
    assert "Username" in page
    assert 'lang="en"' in page
    assert "用户名" not in page


@pytest.mark.django_db
def test_switching_language_changes_the_plan_pages(officer_client: Client, shipped: list[str]):
    overview = officer_client.get("/plans/yangzhou-2025/").content.decode()
    assert "重点任务（13 项）与责任分工" in overview
    resp = officer_client.post(
        "/accounts/language/", {"language": "en", "next": "/plans/yangzhou-2025/"}
    )
    assert resp.status_code == 302
    assert resp["Location"] == "/plans/yangzhou-2025/"
    overview = officer_client.get("/plans/yangzhou-2025/").content.decode()
    assert "Key tasks (13 ) and responsibilities" in overview
    # the plan's own words stay as written: the plan is a Chinese document
    assert "扬州市2025年节能降碳行动计划" in overview
    target = officer_client.get("/plans/yangzhou-2025/targets/nonfossil-share-2025/")
    assert "Source text" in target.content.decode()
    officer_client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert "重点任务（13 项）" in officer_client.get("/plans/yangzhou-2025/").content.decode()
