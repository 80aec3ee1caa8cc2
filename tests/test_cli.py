import os
import subprocess
import sys
from pathlib import Path


def test_help_is_chinese_and_does_not_start_django() -> None:
    code = (
        "import sys\n"
        "from ecplan.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'django.conf' not in sys.modules, 'Django was imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "节能降碳行动计划管理平台" in out.stdout
    assert "serve" in out.stdout


def test_command_on_an_unmigrated_database_says_what_to_do(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ECPLAN_ENV": "development",
        "ECPLAN_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-m", "ecplan", "demo-accounts", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "数据库还没有建立" in out.stderr
    assert "ecplan serve" in out.stderr
