import subprocess
import sys


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
