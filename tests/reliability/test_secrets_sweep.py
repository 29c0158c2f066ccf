"""Every command with sentinel secrets in its environment: none reaches a file or an output.

API keys and Hub tokens live in ``OPENAI_API_KEY``, ``HF_TOKEN`` and a key variable
named by ``api_key_env`` whose name does not look secret (so nothing depends on
scrubbing by name). Systems that print the secrets in their errors and a Hub that
echoes the token in its error make leaks as likely as they can be; then every file
under the folder and everything printed is searched for the secrets.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from helpers import run_cli
from runkit import make_dataset

SECRETS = {
    "OPENAI_API_KEY": "sk-SENTINEL-openai-4f9a8b7c6d5e",
    "HF_TOKEN": "hf_SENTINELhubtoken0123456789",
    "ACME_LLM_ACCESS": "acme-SENTINEL-custom-77c1e0",  # named by api_key_env
}

#: A translator that prints the secrets of secret-looking variables on stderr (evalkit
#: scrubs those by name; a variable with an innocent name is the program's own business)
#: and fails on summaries.
LEAKY = """
import json, os, sys
reqs = [json.loads(line) for line in sys.stdin]
shown = ("OPENAI_API_KEY", "HF_TOKEN", "EXTRA_SECRET_TOKEN")
print("env:", {k: os.environ[k] for k in shown}, file=sys.stderr)
if any("/summary/" in r["id"] for r in reqs):
    sys.exit(3)
for r in reqs:
    print(json.dumps({"id": r["id"], "output": r["text"][::-1]}))
"""

#: A stand-in HfApi patched into the real huggingface_hub at start-up (``datasets``,
#: which builds the parquet files, needs the real package): its upload fails with the
#: token in its message (as an HTTP error quoting request headers would), unless HUB_OK
#: is set.
FAKE_HUB = {
    "sitecustomize.py": """
        import os
        import huggingface_hub

        class HfHubHTTPError(OSError):
            pass

        class errors:
            HfHubHTTPError = HfHubHTTPError
            HTTPError = HfHubHTTPError

        class HfApi:
            def __init__(self, token=None, **kwargs):
                self.token = token

            def create_repo(self, repo_id, **kwargs):
                return "https://hub.example/datasets/" + repo_id

            def upload_folder(self, **kwargs):
                if not os.environ.get("HUB_OK"):
                    raise errors.HfHubHTTPError(
                        "403 Forbidden: token " + self.token + " cannot write; headers:"
                        " {'authorization': 'Bearer " + self.token + "'}"
                    )

                class Info:
                    oid = "abc123"
                    commit_url = "https://hub.example/commit/abc123"

                return Info()

        huggingface_hub.HfApi = HfApi
    """,
}


class EchoingServer:
    """A chat-completions endpoint that quotes the Authorization header in its errors."""

    def __init__(self) -> None:
        self.auth: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                auth = self.headers.get("Authorization", "")
                server.auth.append(auth)
                text = body["messages"][-1]["content"].splitlines()[-1]
                if "Ring" in text:
                    status, payload = 401, {"error": f"invalid credentials: {auth}"}
                else:
                    status = 200
                    payload = {"choices": [{"message": {"content": text[::-1]}}]}
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_no_command_writes_or_prints_a_secret(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    make_dataset(project)
    (project / "leaky.py").write_text(textwrap.dedent(LEAKY), encoding="utf-8")
    hub = tmp_path / "fakehub" / "huggingface_hub"  # PYTHONPATH: hub.parent
    hub.parent.mkdir(parents=True)
    for name, text in FAKE_HUB.items():
        (hub.parent / name).write_text(textwrap.dedent(text), encoding="utf-8")
    server = EchoingServer()
    (project / "evalkit.toml").write_text(
        "[systems.leaky]\n"
        'kind = "command"\n'
        f"command = {json.dumps([sys.executable, 'leaky.py'])}\n"
        "batch_size = 3\n"
        'env = { EXTRA_SECRET_TOKEN = "tok-SENTINEL-in-config-env" }\n'
        "\n[systems.llm]\n"
        'kind = "openai"\n'
        f'base_url = "{server.base_url}"\n'
        'model = "m"\n'
        'api_key_env = "ACME_LLM_ACCESS"\n'
        "retries = 0\n"
        'extra_body = { api_key = "sk-SENTINEL-in-config-body" }\n',
        encoding="utf-8",
    )
    (project / "ref.txt").write_text("링 어텐션\n작은 모델\n", encoding="utf-8")
    (project / "hyp.txt").write_text("링 어텐션\n작은 모델들\n", encoding="utf-8")
    secrets = [*SECRETS.values(), "tok-SENTINEL-in-config-env", "sk-SENTINEL-in-config-body"]
    env = dict(SECRETS)
    run = ["run", "--dataset", "papers.jsonl", "--metrics", "chrf", "bleu", "--resamples", "10"]
    commands = [
        ["extract", "--out", "data"],
        ["dataset", "stats", "--dataset", "data"],
        ["dataset", "stats", "--dataset", "data", "--format", "json"],
        ["dataset", "card", "--dataset", "data", "--repo-id", "org/name"],
        ["score", "-r", "ref.txt", "-i", "hyp.txt", "-l", "ko", "-m", "bleu", "chrf", "ter"],
        ["score", "-r", "ref.txt", "-i", "hyp.txt", "-l", "ko", "--format", "json"],
        [*run, "--system", "leaky"],  # fails: stops with the error
        [*run, "--system", "leaky", "--max-failures", "9"],  # nothing scored: errors in run.json
        [*run, "--system", "llm"],
        [*run, "--system", "llm", "--max-failures", "9"],
        [*run, "--system", "reference"],
        ["report", "--index"],
        ["publish", "--repo-id", "org/name", "--dataset", "data", "--dry-run"],
        ["publish", "--repo-id", "org/name", "--dataset", "data"],  # the Hub refuses
        ["publish", "--repo-id", "org/name", "--dataset", "data", "--token-env", "HF_TOKEN"],
    ]
    outputs = []
    exits = []
    try:
        for args in commands:
            extra = {"PYTHONPATH": str(hub.parent)} if args[0] == "publish" else {}
            proc = run_cli(*args, cwd=project, env={**env, **extra})
            exits.append(proc.returncode)
            outputs.append(proc.stdout + proc.stderr)
        proc = run_cli(
            "publish",
            "--repo-id",
            "org/name",
            "--dataset",
            "data",
            cwd=project,
            env={**env, "PYTHONPATH": str(hub.parent), "HUB_OK": "1"},
        )
        exits.append(proc.returncode)
        outputs.append(proc.stdout + proc.stderr)
        runs = sorted(p.name for p in (project / "results" / "runs").iterdir())
        for args in ([runs[0]], runs[:2]):  # one run's reports; a comparison (refused)
            proc = run_cli("report", *args, cwd=project, env=env)
            exits.append(proc.returncode)
            outputs.append(proc.stdout + proc.stderr)
        (reference,) = (project / "results" / "runs").glob("reference-*")
        gate = [
            ["baseline", "save", str(reference), "--to", "results/baselines/ref.json"],
            ["check", "--baseline", "results/baselines/ref.json", "--run", str(reference)],
            [
                "check",
                "--baseline",
                "results/baselines/ref.json",
                "--system",
                "leaky",
                "--dataset",
                "papers.jsonl",
                "--format",
                "json",
                "--junit",
                "junit.xml",
            ],
        ]
        for args in gate:
            if importlib.util.find_spec(f"evalkit.commands.{args[0]}") is None:
                continue  # a command this version does not have
            proc = run_cli(*args, cwd=project, env=env)
            assert "Traceback" not in proc.stderr, proc.stderr
            # saved, no regression; the leaky system fails (2) or regresses (1)
            expected = (1, 2) if "leaky" in args else (0,)
            assert proc.returncode in expected, (args, proc.stderr)
            outputs.append(proc.stdout + proc.stderr)
    finally:
        server.close()
    # the commands really ran, failed and leaked where they could
    assert exits[:15] == [0, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 2, 2]
    assert exits[15:] == [0, 0, 2] and "uploaded to https://hub.example" in outputs[15]
    assert set(server.auth) == {f"Bearer {SECRETS['ACME_LLM_ACCESS']}"}
    everything = "\n".join(outputs)
    assert "exited with status 3" in everything and "HTTP 401" in everything
    assert "***" in everything  # a scrubbed secret
    for secret in secrets:
        assert secret not in everything, secret
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "fakehub" not in p.parts]
    assert len(written) > 30
    for path in written:
        data = path.read_bytes()
        for secret in secrets:
            if secret.startswith(("tok-", "sk-SENTINEL-in-config")) and path.name == "evalkit.toml":
                continue
            assert secret.encode() not in data, (path, secret)
    run_json = [json.loads(p.read_text()) for p in project.rglob("run.json")]
    failures = [f["error"] for meta in run_json for f in meta["failures"]]
    assert any("exited with status 3" in e for e in failures)
    assert any("HTTP 401" in e for e in failures)


#: A translator that prints its own command line on stderr, then fails on summaries.
ARGV_LEAKY = """
import json, sys
reqs = [json.loads(line) for line in sys.stdin]
print("started as", sys.argv, file=sys.stderr)
if any("/summary/" in r["id"] for r in reqs):
    sys.exit(3)
for r in reqs:
    print(json.dumps({"id": r["id"], "output": r["text"][::-1]}))
"""

#: Secrets written into configuration values, not environment variables.
STRUCTURAL = {
    "userinfo": "PASSWORD-SENTINEL-userinfo",
    "query": "sk-SENTINEL-query-0123456789",
    "argv": "sk-SENTINEL-argv-0123456789",
    "argv_eq": "TOKEN-SENTINEL-argv-eq",
    "argv_short": "sk-SENTINEL-short-0123456789",
    "body": "SECRET-SENTINEL-extra-body",
    "nested": "TOKEN-SENTINEL-nested-body",
}


def test_secrets_in_configuration_values_reach_no_file_and_no_output(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    make_dataset(project)
    (project / "argv_leaky.py").write_text(textwrap.dedent(ARGV_LEAKY), encoding="utf-8")
    server = EchoingServer()
    port = server.base_url.split(":")[2].split("/")[0]
    s = STRUCTURAL
    argv = [sys.executable, "argv_leaky.py", "--api-key", s["argv"], f"--token={s['argv_eq']}"]
    argv += ["-k", s["argv_short"]]
    (project / "evalkit.toml").write_text(
        "[systems.llm]\n"
        'kind = "openai"\n'
        f'base_url = "http://alice:{s["userinfo"]}@127.0.0.1:{port}/v1?api-key={s["query"]}"\n'
        'model = "m"\n'
        'api_key_env = "ACME_LLM_ACCESS"\n'
        "retries = 0\n"
        f'extra_body = {{ client_secret = "{s["body"]}",'
        f' options = {{ access_token = "{s["nested"]}" }} }}\n'
        "\n[systems.cmd]\n"
        'kind = "command"\n'
        f"command = {json.dumps(argv)}\n"
        "batch_size = 3\n",
        encoding="utf-8",
    )
    env = dict(SECRETS)
    run = ["run", "--dataset", "papers.jsonl", "--metrics", "chrf", "--resamples", "10"]
    outputs = []
    exits = []
    try:
        for args in (
            [*run, "--system", "llm"],  # HTTP 401 quoting the key: stops with the error
            [*run, "--system", "llm", "--max-failures", "9"],  # partial, errors in run.json
            [*run, "--system", "cmd"],  # the program prints its argv and fails
            # every batch fails: nothing scored is a failed run (exit 2), failures recorded
            [*run, "--system", "cmd", "--max-failures", "9"],
            [*run, "--system", "llm", "--fields", "abstract"],  # complete
            [*run, "--system", "cmd", "--fields", "title", "abstract"],  # complete
        ):
            proc = run_cli(*args, cwd=project, env=env)
            exits.append(proc.returncode)
            outputs.append(proc.stdout + proc.stderr)
        runs = sorted((project / "results" / "runs").iterdir())
        complete = {
            json.loads((r / "run.json").read_text())["system"]["name"]: r
            for r in runs
            if json.loads((r / "run.json").read_text())["status"] == "complete"
        }
        for args in (
            ["report", str(runs[0])],
            ["report", str(runs[1])],
            ["report", "--index"],
            ["baseline", "save", str(complete["llm"]), "--to", "results/baselines/llm.json"],
            ["baseline", "save", str(complete["cmd"]), "--to", "results/baselines/cmd.json"],
        ):
            proc = run_cli(*args, cwd=project, env=env)
            exits.append(proc.returncode)
            outputs.append(proc.stdout + proc.stderr)
    finally:
        server.close()
    assert exits == [2, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0], outputs
    assert set(server.auth) == {f"Bearer {SECRETS['ACME_LLM_ACCESS']}"}
    everything = "\n".join(outputs)
    assert "HTTP 401" in everything and "exited with status 3" in everything
    assert "started as" in everything and "--api-key" in everything
    secrets = [*STRUCTURAL.values(), *SECRETS.values()]
    for secret in secrets:
        assert secret not in everything, secret
    written = [p for p in project.rglob("*") if p.is_file() and p.name != "evalkit.toml"]
    names = {p.name for p in written}
    assert {"run.json", "report.md", "report.html", "llm.json", "cmd.json"} <= names, names
    for path in written:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, (path, secret)
    metas = [json.loads(p.read_text()) for p in project.rglob("run.json")]
    specs = json.dumps([m["system"] for m in metas])
    assert "http://***@127.0.0.1" in specs and "api-key=***" in specs
    assert '"--api-key", "***"' in specs and '"--token=***"' in specs
