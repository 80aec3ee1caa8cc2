"""E-mail by configuration: ``ECPLAN_EMAIL_URL`` selects SMTP, and notifications really go
out over SMTP (a minimal SMTP server on the loopback interface receives them)."""

from __future__ import annotations

import email
import email.policy
import os
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from ecplan.workflow import services
from ecplan.workflow.models import Notification

from .conftest import TODAY, Cast

SETTINGS = (
    "import django\n"
    "django.setup()\n"
    "from django.conf import settings as s\n"
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER,"
    " s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, sep='|')\n"
)


def _settings(tmp_path: Path, url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECPLAN_")}
    env.update(
        DJANGO_SETTINGS_MODULE="ecplan.settings",
        ECPLAN_DATA_DIR=str(tmp_path),
        ECPLAN_ENV="development",
    )
    if url is not None:
        env["ECPLAN_EMAIL_URL"] = url
    return subprocess.run(
        [sys.executable, "-c", SETTINGS], capture_output=True, text=True, env=env, check=False
    )


def test_the_console_is_the_default_and_smtp_is_configuration(tmp_path: Path) -> None:
    out = _settings(tmp_path, None)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("|")[0] == "django.core.mail.backends.console.EmailBackend"
    out = _settings(tmp_path, "smtp+tls://mailer:p%40ss@mail.example.cn:587")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().split("|") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.cn",
        "587",
        "mailer",
        "p@ss",
        "True",
        "False",
    ]
    # without a port, the scheme's usual one
    smtps = _settings(tmp_path, "smtps://mail.example.cn").stdout.strip().split("|")
    assert smtps[2:] == ["465", "", "", "False", "True"]
    assert _settings(tmp_path, "smtp+tls://mail.example.cn").stdout.split("|")[2] == "587"
    assert _settings(tmp_path, "smtp://mail.example.cn").stdout.split("|")[2] == "25"


def test_a_wrong_mail_url_is_refused_without_showing_the_password(tmp_path: Path) -> None:
    out = _settings(tmp_path, "smpt://mailer:secret-pw@mail.example.cn:25")
    assert out.returncode != 0
    assert "ECPLAN_EMAIL_URL 取值无效" in out.stderr
    assert "smtp+tls://" in out.stderr
    assert "secret-pw" not in out.stderr


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages (no extensions, no authentication)."""

    def _send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server: Any = self.server
        self._send("220 test ESMTP")
        rcpt: list[str] = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._send("250 test")
            elif verb == "MAIL":
                rcpt = []
                self._send("250 OK")
            elif verb == "RCPT":
                rcpt.append(command.split(":", 1)[1].strip(" <>"))
                self._send("250 OK")
            elif verb == "DATA":
                self._send("354 go ahead")
                data = b""
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    data += line[1:] if line.startswith(b"..") else line
                server.received.append((rcpt, data))
                self._send("250 queued")
            elif verb == "QUIT":
                self._send("221 bye")
                return
            else:
                self._send("250 OK")


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    server: Any = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_notifications_go_out_over_smtp(
    cast: Cast, draft: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    port = smtp_server.server_address[1]
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    with (
        override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.submit(draft, acting_user=cast.reporter, today=TODAY)
    assert len(smtp_server.received) == 1
    rcpt, data = smtp_server.received[0]
    assert rcpt == ["yz@example.cn"]
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert "待审核" in str(message["Subject"])
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "测试" in body.get_content()  # the enterprise's name is in the text
    note = Notification.objects.get(recipient=cast.area, kind="to_review")
    assert note.email_status == "sent"
