"""Consistent flags across commands, old spellings kept, and errors in the command's usage."""

import pytest
from helpers import run_cli

from evalkit.cli import COMMANDS, _parser


def parse(command, *args):
    parser, _ = _parser(command, [command, *args])
    return parser.parse_args([command, *args])


def test_score_takes_resamples_and_source_like_the_other_commands():
    new = parse("score", "-r", "r", "-i", "h", "-l", "ko", "--resamples", "7", "--source", "s")
    old = parse("score", "-r", "r", "-i", "h", "-l", "ko", "--n-resamples", "7", "-s", "s")
    assert new.n_resamples == old.n_resamples == 7 and new.source == old.source == "s"
    default = parse("score", "-r", "r", "-i", "h", "-l", "ko")
    assert default.n_resamples == 1000 and default.source is None
    assert parse("run", "--resamples", "5").resamples == 5
    assert parse("report", "--resamples", "5").resamples == 5


def test_s_is_system_wherever_a_system_is_run():
    assert parse("run", "-s", "reference").system == "reference"
    assert parse("check", "--baseline", "b.json", "-s", "reference").system == "reference"


def test_help_shows_only_the_consistent_spellings():
    parser, parsers = _parser("score", ["score"])
    text = parsers["score"].format_help()
    assert "--resamples N" in text and "--source SRC_FILE" in text
    assert "--n-resamples" not in text and "-s SRC_FILE" not in text


def test_misspelt_option_prints_the_command_usage_and_the_closest_option(tmp_path):
    res = run_cli("run", "--sytem", "x", cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr.startswith("usage: evalkit run ")
    assert "COMMAND ..." not in res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("evalkit run: error: unrecognized arguments: --sytem x")
    assert "did you mean --system?" in last


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_reports_its_own_usage(tmp_path, command):
    res = run_cli(command, "--resamplez", "3", cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert f"usage: evalkit {command}" in res.stderr
    assert "Traceback" not in res.stderr


def test_misspelt_option_is_named_even_when_another_error_comes_first(tmp_path):
    res = run_cli("check", "--sytem", "reference", "--baseline", "b.json", cwd=tmp_path)
    assert res.returncode == 2 and "usage: evalkit check" in res.stderr
    assert "did you mean --system?" in res.stderr


def test_misspelt_command_suggests_the_closest(tmp_path):
    res = run_cli("rn", "--system", "x", cwd=tmp_path)
    assert res.returncode == 2 and "unknown command 'rn'; did you mean 'run'?" in res.stderr
    res = run_cli("scroe", cwd=tmp_path)
    assert "did you mean 'score'?" in res.stderr
