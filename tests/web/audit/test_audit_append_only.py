"""The audit trail cannot be changed: not through the model, the queryset, raw SQL or the admin."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError

from ecplan.accounts.testing import World
from ecplan.audit.models import AuditEvent, AuditTrailIsAppendOnly
from ecplan.audit.services import record


@pytest.fixture
def event(world: World) -> AuditEvent:
    return record(
        "update", actor=world.persona("plan_admin").user, obj=world.e_gaoyou, detail="原始说明"
    )


def _unchanged(event: AuditEvent) -> None:
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.detail == "原始说明"
    assert fresh.action == "update"


def test_model_refuses_save_of_existing_row_and_delete(event: AuditEvent) -> None:
    event.detail = "篡改"
    with pytest.raises(AuditTrailIsAppendOnly, match="只能追加"):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    copy = AuditEvent.objects.get(pk=event.pk)
    copy.detail = "篡改"
    with pytest.raises(AuditTrailIsAppendOnly):
        copy.save(update_fields=["detail"])
    _unchanged(event)


def test_queryset_refuses_update_and_delete(event: AuditEvent) -> None:
    qs = AuditEvent.objects.filter(pk=event.pk)
    with pytest.raises(AuditTrailIsAppendOnly):
        qs.update(detail="篡改")
    with pytest.raises(AuditTrailIsAppendOnly):
        qs.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.bulk_update([event], ["detail"])
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"detail": "篡改"})
    _unchanged(event)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET detail = 'x' WHERE id = %s",
        "UPDATE audit_auditevent SET actor_id = NULL WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_database_triggers_refuse_raw_sql(event: AuditEvent, sql: str) -> None:
    with (
        pytest.raises(IntegrityError, match="只能追加"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    _unchanged(event)


def test_database_refuses_emptying_the_table(event: AuditEvent) -> None:
    statements = ["DELETE FROM audit_auditevent"]
    if connection.vendor == "postgresql":
        statements.append("TRUNCATE audit_auditevent")
    for sql in statements:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # fire the deferred foreign-key checks of this test's inserts first, or
                # PostgreSQL refuses TRUNCATE for that reason before our trigger runs
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with pytest.raises(IntegrityError, match="只能追加"), transaction.atomic():
                cursor.execute(sql)
    _unchanged(event)


def test_actor_with_events_cannot_be_deleted(world: World, event: AuditEvent) -> None:
    with pytest.raises(ProtectedError), transaction.atomic():
        world.persona("plan_admin").user.delete()
    _unchanged(event)


def test_inserting_is_allowed_and_keeps_order(world: World) -> None:
    user = world.persona("plan_admin").user
    a = record("export", actor=user, detail="第一")
    b = record("export", actor=user, detail="第二")
    assert list(AuditEvent.objects.filter(pk__in=[a.pk, b.pk])) == [b, a]  # newest first


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_flush_the_database() -> None:
    # The suite's own flush (after this test) drops and recreates the triggers; it must not
    # fail because this test wrote to the trail.
    record("export", actor=None, detail="事务测试")
    assert AuditEvent.objects.filter(detail="事务测试").exists()


@pytest.mark.django_db(transaction=True)
def test_triggers_are_back_after_a_flush() -> None:
    event = record("export", actor=None, detail="原始说明")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_flush_outside_the_test_suite_is_refused(event: AuditEvent, settings: object) -> None:
    from django.core.management import CommandError, call_command

    settings.TESTING = False  # type: ignore[attr-defined]  # pytest-django settings fixture
    with pytest.raises(CommandError):
        call_command("flush", interactive=False, verbosity=0)
    _unchanged(event)


def test_missing_triggers_are_reported_and_recreated_after_migrate(db: None) -> None:
    from django.apps import apps

    from ecplan.audit.apps import _ensure_triggers
    from ecplan.audit.checks import audit_triggers_present
    from ecplan.audit.triggers import drop_triggers, missing_triggers

    assert audit_triggers_present(databases=["default"]) == []
    drop_triggers(connection)  # what a table rebuild on SQLite does silently
    assert missing_triggers(connection)
    errors = audit_triggers_present(databases=["default"])
    assert [e.id for e in errors] == ["ecplan.audit.E001"]
    assert "只追加触发器" in errors[0].msg
    _ensure_triggers(apps.get_app_config("audit"), using="default")  # post_migrate handler
    assert not missing_triggers(connection)
