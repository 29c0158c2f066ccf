"""The openai kind against a real HTTP server on loopback."""

import pytest
from chat_server import ChatServer

from evalkit.errors import ConfigError, SystemError_
from evalkit.systems.base import Request
from evalkit.systems.openai_compat import OpenAISystem

KEY = "sk-test-sentinel-0123456789"


def reqs(n, task="translation"):
    return [Request(f"p{i}/title/en-ko", task, f"hello {i}", "en", "ko") for i in range(n)]


def make(server, **config):
    return OpenAISystem(
        "qwen", {"base_url": server.base_url, "model": "m", "backoff": 0.01, **config}
    )


def test_answers_prompt_and_api_key(monkeypatch):
    monkeypatch.setenv("EVALKIT_TEST_KEY", KEY)
    with ChatServer() as server:
        system = make(
            server, api_key_env="EVALKIT_TEST_KEY", system_prompt="You translate to {tgt_name}."
        )
        assert system.translate_batch(reqs(3)) == ["0 olleh", "1 olleh", "2 olleh"]
        assert server.auth == [f"Bearer {KEY}"] * 3
        body = server.bodies[0]
        assert body["model"] == "m" and body["temperature"] == 0
        assert body["messages"][0] == {"role": "system", "content": "You translate to Korean."}
        assert "into Korean" in body["messages"][1]["content"]
        assert KEY not in repr(system.spec()) and system.spec()["api_key_env"] == "EVALKIT_TEST_KEY"
        system.close()


def test_prompt_templates_per_task():
    with ChatServer() as server:
        system = make(server, prompts={"summarization": "Summarize in {tgt_lang}:\n{text}"})
        assert system.translate_batch(reqs(1, "summarization")) == ["0 olleh"]
        assert server.bodies[0]["messages"][-1]["content"] == "Summarize in ko:\nhello 0"


def test_bad_template_is_a_config_error():
    with pytest.raises(ConfigError, match="placeholder"):
        OpenAISystem(
            "q",
            {
                "base_url": "http://127.0.0.1:1/v1",
                "model": "m",
                "prompts": {"translation": "{txt}"},
            },
        )


def test_missing_api_key_env_is_a_config_error(monkeypatch):
    monkeypatch.delenv("EVALKIT_NO_SUCH_KEY", raising=False)
    with pytest.raises(ConfigError, match="EVALKIT_NO_SUCH_KEY"):
        OpenAISystem(
            "q",
            {
                "base_url": "http://127.0.0.1:1/v1",
                "model": "m",
                "api_key_env": "EVALKIT_NO_SUCH_KEY",
            },
        )


def test_retries_429_and_5xx_then_succeeds():
    with ChatServer() as server:
        server.script = {"hello 0": [429, 503], "hello 1": [500]}
        assert make(server, retries=2).translate_batch(reqs(2)) == ["0 olleh", "1 olleh"]
        assert server.attempts == {"hello 0": 3, "hello 1": 2}


def test_gives_up_after_retries_naming_ids():
    with ChatServer() as server:
        server.fail_all = 502
        with pytest.raises(SystemError_) as info:
            make(server, retries=1, max_concurrency=1).translate_batch(reqs(2))
        message = str(info.value)
        assert "'qwen'" in message and "p0/title/en-ko" in message and "HTTP 502" in message
        assert "after 2 attempts" in message
        assert server.attempts["hello 0"] == 2


def test_client_errors_are_not_retried():
    with ChatServer() as server:
        server.fail_all = 400
        with pytest.raises(SystemError_, match="HTTP 400"):
            make(server, retries=3).translate_batch(reqs(1))
        assert server.attempts["hello 0"] == 1


def test_timeout_is_retried_then_reported():
    with ChatServer(delay=1.0) as server:
        with pytest.raises(SystemError_, match=r"within timeout=0.2s \(after 2 attempts\)"):
            make(server, timeout=0.2, retries=1).translate_batch(reqs(1))
        assert server.attempts["hello 0"] == 2


def test_non_text_content():
    with ChatServer() as server:
        server.content = ["not", "text"]
        with pytest.raises(SystemError_, match="not text"):
            make(server).translate_batch(reqs(1))


@pytest.mark.parametrize("concurrency", [1, 4])
def test_concurrency_limit_is_reached_and_respected(concurrency):
    with ChatServer(delay=0.1) as server:
        system = make(server, max_concurrency=concurrency)
        assert system.batch_size == 4 * concurrency
        assert len(system.translate_batch(reqs(8))) == 8
        system.close()
        assert server.max_in_flight == concurrency


def test_connections_are_kept_alive():
    with ChatServer() as server:
        system = make(server, max_concurrency=2, retries=0)
        assert len(system.translate_batch(reqs(10))) == 10
        system.close()
        assert server.connections <= 2


def test_a_connection_closed_by_the_server_is_reopened_transparently():
    with ChatServer() as server:
        server.drop_idle = True
        system = make(server, max_concurrency=1, retries=0)
        assert system.translate_batch(reqs(4)) == ["0 olleh", "1 olleh", "2 olleh", "3 olleh"]
        system.close()
        assert server.connections == 4 and sum(server.attempts.values()) == 4
