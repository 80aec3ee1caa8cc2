import pytest
from django.contrib.auth import get_user_model


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client) -> None:
    resp = client.get("/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/?next=/")
    login = client.get(resp["Location"])
    assert "节能降碳行动计划管理平台" in login.content.decode()


@pytest.mark.django_db
def test_logged_in_user_sees_home(client) -> None:
    user = get_user_model().objects.create_user("zhang", password="Xx-1234567")
    client.force_login(user)
    resp = client.get("/")
    assert resp.status_code == 200
    assert "节能降碳行动计划管理平台" in resp.content.decode()
