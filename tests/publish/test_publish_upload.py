import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from evalkit.cli import main
from evalkit.publish import upload

SENTINEL = "hf_SentinelToken0123456789abcdef"
TOKEN_ENV = "EVALKIT_TEST_HF_TOKEN"


class RecordingApi:
    """Stands in for huggingface_hub.HfApi: records every call, optionally fails."""

    calls: list = []
    fail_with: Exception | None = None

    def __init__(self, token=None, **kwargs):
        RecordingApi.calls.append(("init", {"token": token, **kwargs}))

    def create_repo(self, repo_id, **kwargs):
        RecordingApi.calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))
        return f"https://huggingface.co/datasets/{repo_id}"

    def upload_folder(self, **kwargs):
        folder = Path(kwargs["folder_path"])
        files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        RecordingApi.calls.append(("upload_folder", {**kwargs, "files": files}))
        if RecordingApi.fail_with is not None:
            raise RecordingApi.fail_with

        class Info:
            oid = "0123abcd"
            commit_url = f"https://huggingface.co/datasets/{kwargs['repo_id']}/commit/0123abcd"

        return Info()


@pytest.fixture
def hub(monkeypatch, tmp_path):
    import huggingface_hub

    RecordingApi.calls = []
    RecordingApi.fail_with = None
    monkeypatch.setattr(huggingface_hub, "HfApi", RecordingApi)
    monkeypatch.setenv(TOKEN_ENV, SENTINEL)
    monkeypatch.chdir(tmp_path)
    return RecordingApi


def _assert_no_token(root: Path, *texts: str):
    for text in texts:
        assert SENTINEL not in text
    for path in root.rglob("*"):
        if path.is_file():
            assert SENTINEL.encode() not in path.read_bytes(), path


def _publish(*extra):
    """`evalkit publish` of the bundled sample digests, token from TOKEN_ENV."""
    return main(["publish", "--repo-id", "my-org/digests", "--token-env", TOKEN_ENV, *extra])


def test_upload_creates_repo_and_uploads_in_one_commit(hub, tmp_path, capsys):
    assert _publish("--private") == 0
    out = capsys.readouterr()
    folder = tmp_path / "data" / "hub" / "my-org__digests"
    names = [name for name, _ in hub.calls]
    assert names == ["init", "create_repo", "upload_folder"]
    assert hub.calls[0][1]["token"] == SENTINEL
    assert hub.calls[1][1] == {
        "repo_id": "my-org/digests",
        "repo_type": "dataset",
        "private": True,
        "exist_ok": True,
    }
    up = hub.calls[2][1]
    assert up["repo_id"] == "my-org/digests" and up["repo_type"] == "dataset"
    assert Path(up["folder_path"]).resolve() == folder.resolve()
    assert "README.md" in up["files"] and len(up["files"]) == 15
    assert up["delete_patterns"] == ["data/**"]  # stale weeks go in the same commit
    from evalkit import dataset

    fingerprint = dataset.fingerprint(dataset.load())  # the bundled sample digests
    assert up["commit_message"].startswith(f"Publish dataset {fingerprint} ")
    assert fingerprint in (folder / "README.md").read_text(encoding="utf-8")
    assert "my-org/digests" in out.out and "commit/0123abcd" in out.out
    _assert_no_token(tmp_path, out.out, out.err)


def test_public_by_default(hub):
    assert _publish() == 0
    assert hub.calls[1][1]["private"] is False


def test_dry_run_uploads_nothing(hub, tmp_path, capsys):
    assert _publish("--dry-run", "--out", "built") == 0
    assert hub.calls == []
    assert (tmp_path / "built" / "README.md").is_file()
    assert "dry run" in capsys.readouterr().out


def test_refused_upload_is_one_line_without_the_token(hub, tmp_path, capsys):
    from huggingface_hub import errors

    httpx = importlib.import_module(errors.HTTPError.__module__.split(".")[0])
    request = httpx.Request("POST", "https://huggingface.co/api/repos/create")
    hub.fail_with = errors.HfHubHTTPError(
        f"403 Forbidden: token {SENTINEL} cannot write\nto my-org",
        response=httpx.Response(403, request=request),
    )
    assert _publish("--out", "built") == 2
    out = capsys.readouterr()
    err = out.err.strip()
    assert len(err.splitlines()) == 1
    assert "could not upload my-org/digests" in err and "403 Forbidden" in err
    assert "built is ready" in err
    assert (tmp_path / "built" / "data" / "en-ko" / "test-00000-of-00001.parquet").is_file()
    _assert_no_token(tmp_path, out.out, out.err)


def test_offline_is_one_line_error_after_the_folder(monkeypatch, tmp_path, capsys):
    """The real HfApi with offline mode on: no network, a clean error, the folder kept."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setenv(TOKEN_ENV, SENTINEL)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    monkeypatch.chdir(tmp_path)
    assert _publish("--out", "built") == 2
    out = capsys.readouterr()
    err = out.err.strip()
    assert len(err.splitlines()) == 1
    assert "could not create the repository my-org/digests" in err and "offline" in err
    assert (tmp_path / "built" / "README.md").is_file()
    _assert_no_token(tmp_path, out.out, out.err)


def test_missing_token(hub, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(TOKEN_ENV)
    assert _publish("--out", "built") == 2
    err = capsys.readouterr().err.strip()
    assert f"environment variable {TOKEN_ENV} is not set" in err
    assert len(err.splitlines()) == 1
    assert (tmp_path / "built" / "README.md").is_file()
    assert hub.calls == []


@pytest.mark.parametrize(
    "args,message",
    [
        (["--repo-id", "digests"], "not a Hub repository id"),
        (["--repo-id", "a/b", "--token-env", "HF-TOKEN"], "not an environment variable name"),
        (["--repo-id", "a/b", "--license", "CC BY"], "not a license identifier"),
    ],
)
def test_bad_arguments_write_nothing(hub, tmp_path, capsys, args, message):
    assert main(["publish", *args]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert hub.calls == []


def test_missing_hub_library_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # import fails
    monkeypatch.setenv(TOKEN_ENV, SENTINEL)
    monkeypatch.chdir(tmp_path)
    assert _publish("--out", "built") == 2
    err = capsys.readouterr().err.strip()
    assert "huggingface_hub is not installed" in err and len(err.splitlines()) == 1
    assert (tmp_path / "built" / "README.md").is_file()


def test_scrub():
    text = f"boom: Authorization: Bearer {SENTINEL}\n also hf_OtherTokenABCDEFGHIJ"
    scrubbed = upload.scrub(text, SENTINEL)
    assert SENTINEL not in scrubbed and "hf_Other" not in scrubbed
    assert "\n" not in scrubbed and scrubbed.startswith("boom: Authorization: Bearer ***")


def test_command_imports_are_cheap():
    code = (
        "import sys, evalkit.cli, evalkit.commands.publish, evalkit.commands.dataset, "
        "evalkit.publish.layout, evalkit.publish.card, evalkit.publish.upload, "
        "evalkit.publish.counts, evalkit.publish.stats\n"
        "heavy = ('datasets', 'pyarrow', 'huggingface_hub', 'numpy', 'yaml')\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    ).stdout
    assert out.strip() == "[]"
