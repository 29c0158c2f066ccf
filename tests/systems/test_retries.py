"""One retry layer: N retries is at most N + 1 attempts, whichever layer retries."""

from chat_server import ChatServer

from evalkit.runner import run_system
from evalkit.systems.base import Request
from evalkit.systems.openai_compat import OpenAISystem
from evalkit.systems.python_callable import PythonSystem


def reqs(n):
    return [Request(f"p{i}/title/en-ko", "translation", f"hello {i}", "en", "ko") for i in range(n)]


def test_http_retries_are_not_multiplied_by_the_runner(tmp_path, capsys):
    with ChatServer() as server:
        server.fail_all = 503
        system = OpenAISystem(
            "api",
            {"base_url": server.base_url, "model": "m", "backoff": 0.0, "retries": 2},
        )
        result = run_system(
            system,
            reqs(1),
            outputs_path=tmp_path / "o.jsonl",
            retries=3,
            progress=False,
            max_failures=5,
        )
        system.close()
        # 2 retries: 3 attempts of the request; the runner's 3 retries are not applied on
        # top (that was 4 x 3 = 12 attempts)
        assert server.attempts["hello 0"] == 3
        assert result.calls == 1 and len(result.failures) == 1
        assert "after 3 attempts" in result.failures[0].error
    assert "--retries 3 is not applied" in capsys.readouterr().err


def test_zero_retries_is_one_attempt(tmp_path):
    with ChatServer() as server:
        server.fail_all = 500
        system = OpenAISystem(
            "api", {"base_url": server.base_url, "model": "m", "backoff": 0.0, "retries": 0}
        )
        run_system(
            system, reqs(1), outputs_path=tmp_path / "o.jsonl", progress=False, max_failures=5
        )
        system.close()
        assert server.attempts == {"hello 0": 1}


def test_runner_retries_other_kinds_n_plus_one_times(tmp_path):
    calls = []

    def broken(requests):
        calls.append(len(requests))
        raise RuntimeError("down")

    system = PythonSystem("py", {"batch_size": 2}, function=broken)
    result = run_system(
        system,
        reqs(4),
        outputs_path=tmp_path / "o.jsonl",
        retries=2,
        max_failures=5,
        progress=False,
    )
    assert calls == [2, 2, 2, 2, 2, 2]  # 2 batches x (2 retries + 1)
    assert result.calls == 6 and len(result.failures) == 2


def test_a_flaky_system_succeeds_on_a_retry(tmp_path):
    calls = []

    def flaky(requests):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("once")
        return [r.text for r in requests]

    result = run_system(
        PythonSystem("py", {}, function=flaky),
        reqs(1),
        outputs_path=tmp_path / "o.jsonl",
        retries=1,
        progress=False,
    )
    assert result.outputs == {"p0/title/en-ko": "hello 0"} and len(calls) == 2
