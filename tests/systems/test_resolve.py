"""Name resolution: evalkit.toml -> plugin -> built-in -> module:callable."""

import sys
import textwrap

import pytest

from evalkit.config import load_config
from evalkit.errors import ConfigError, UnknownNameError
from evalkit.systems.builtins import CopySource, Lead, Reference
from evalkit.systems.command import CommandSystem
from evalkit.systems.python_callable import PythonSystem
from evalkit.systems.resolve import available_systems, resolve_system


def write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_builtins(tmp_path):
    assert isinstance(resolve_system("copy-source", cwd=tmp_path), CopySource)
    assert isinstance(resolve_system("reference", cwd=tmp_path), Reference)
    assert isinstance(resolve_system("lead", cwd=tmp_path), Lead)


def test_config_system_wins_over_builtin(tmp_path, capsys):
    write(
        tmp_path / "evalkit.toml",
        """
        [systems.reference]
        kind = "command"
        command = ["python", "translate.py"]
        timeout = 5

        [systems.lead3]
        kind = "lead"
        sentences = 3
    """,
    )
    system = resolve_system("reference", cwd=tmp_path)
    assert "'reference' is defined by" in capsys.readouterr().err
    assert isinstance(system, CommandSystem) and system.root == tmp_path and system.timeout == 5
    lead3 = resolve_system("lead3", cwd=tmp_path)
    assert isinstance(lead3, Lead) and lead3.sentences == 3


def test_pyproject_tool_section(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        """
        [project]
        name = "x"

        [tool.evalkit.systems.mine]
        kind = "python"
        callable = "mymod:translate"
        path = ["src"]
    """,
    )
    (tmp_path / "src").mkdir()
    write(
        tmp_path / "src" / "mymod.py",
        "def translate(requests):\n    return [r.text for r in requests]\n",
    )
    system = resolve_system("mine", cwd=tmp_path)
    assert isinstance(system, PythonSystem) and system.version


def test_evalkit_toml_wins_over_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.evalkit.systems.a]\nkind = "outputs"\npath = "x"\n')
    write(tmp_path / "evalkit.toml", '[systems.b]\nkind = "lead"\n')
    assert list(load_config(tmp_path).systems) == ["b"]


def test_plugin_entry_point_wins_over_builtin(tmp_path, monkeypatch):
    dist = tmp_path / "evalkit_plugin_demo-1.0.dist-info"
    dist.mkdir()
    write(dist / "METADATA", "Metadata-Version: 2.1\nName: evalkit-plugin-demo\nVersion: 1.0\n")
    write(
        dist / "entry_points.txt",
        "[evalkit.systems]\nlead = plugin_demo:shout\nshout = plugin_demo:shout\n",
    )
    write(
        tmp_path / "plugin_demo.py",
        "def shout(requests):\n    return [r.text.upper() for r in requests]\n",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    system = resolve_system("shout", cwd=tmp_path)
    assert isinstance(system, PythonSystem)
    assert isinstance(resolve_system("lead", cwd=tmp_path), PythonSystem)
    assert "shout" in available_systems(tmp_path)


def test_module_callable_spec(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "spec_mod_demo.py",
        """
        from evalkit.systems.base import System

        def translate(requests):
            return ["x" for _ in requests]

        class Mine(System):
            kind = "mine"
            def translate_batch(self, requests):
                return ["y" for _ in requests]
    """,
    )
    assert isinstance(resolve_system("spec_mod_demo:translate", cwd=tmp_path), PythonSystem)
    assert resolve_system("spec_mod_demo:Mine", cwd=tmp_path).kind == "mine"
    sys.modules.pop("spec_mod_demo", None)


def test_unknown_name_lists_and_suggests(tmp_path):
    write(tmp_path / "evalkit.toml", '[systems.mytranslator]\nkind = "lead"\n')
    with pytest.raises(UnknownNameError) as info:
        resolve_system("mytranslater", cwd=tmp_path)
    message = str(info.value)
    assert "did you mean 'mytranslator'" in message
    assert "copy-source" in message and "reference" in message


def test_unknown_kind_names_the_file(tmp_path):
    write(tmp_path / "evalkit.toml", '[systems.x]\nkind = "comand"\n')
    with pytest.raises(
        ConfigError, match=r"evalkit.toml: .*unknown kind 'comand'.*did you mean 'command'"
    ):
        resolve_system("x", cwd=tmp_path)


@pytest.mark.parametrize(
    "text, match",
    [
        ('[systems.x]\ncommand = ["a"]\n', "missing 'kind'"),
        ("[systems\n", "invalid TOML"),
        ("systems = 3\n", "table of systems"),
    ],
)
def test_bad_config_is_one_line_naming_the_file(tmp_path, text, match):
    write(tmp_path / "evalkit.toml", text)
    with pytest.raises(ConfigError, match=match) as info:
        resolve_system("x", cwd=tmp_path)
    assert "evalkit.toml" in str(info.value) and "\n" not in str(info.value)


def test_loading_a_config_runs_nothing(tmp_path):
    write(
        tmp_path / "evalkit.toml",
        """
        [systems.evil]
        kind = "python"
        callable = "evil_module_demo:f"
    """,
    )
    write(tmp_path / "evil_module_demo.py", "open('ran', 'w').close()\n")
    load_config(tmp_path)
    resolve_system("lead", cwd=tmp_path)
    available_systems(tmp_path)
    assert not (tmp_path / "ran").exists()


@pytest.mark.parametrize("name", ["../../x", "/etc/passwd", "a\0b", ""])
def test_path_like_names_do_not_resolve(tmp_path, name):
    with pytest.raises(UnknownNameError):
        resolve_system(name, cwd=tmp_path)
