import subprocess
import sys

from evalkit import __version__
from evalkit.cli import COMMANDS, main


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert __version__ in capsys.readouterr().out


def test_help_lists_every_command():
    out = subprocess.run(
        [sys.executable, "-m", "evalkit", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for name in COMMANDS:
        assert name in out


def test_no_command_is_usage_error(capsys):
    assert main([]) == 2
