"""Secrets found by structure (URL userinfo, option names, headers, key shapes) and by value."""

from __future__ import annotations

import pytest

from evalkit.systems.command import CommandSystem
from evalkit.systems.openai_compat import OpenAISystem
from evalkit.systems.secrets import is_secret_name, redact, redact_argv, redact_url, scrub
from evalkit.textsafe import terminal_safe


@pytest.mark.parametrize(
    "name",
    [
        "api_key",
        "apiKey",
        "--api-key",
        "X-Api-Key",
        "access_token",
        "HF_TOKEN",
        "password",
        "sig",
        "client_secret",
        "Authorization",
        "auth",
        "Cookie",
        "passwd",
        "--pass",
    ],
)
def test_secret_names(name):
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name", ["max_tokens", "keywords", "author", "api_key_env", "token_env", "model", "top_k", "-k"]
)
def test_names_that_are_not_secrets(name):
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://alice:PASSWORD@host/v1", "http://***@host/v1"),
        ("https://TOKEN123456@host:8443/v1", "https://***@host:8443/v1"),
        ("http://h/v1?api-key=sk-abc&api-version=2", "http://h/v1?api-key=***&api-version=2"),
        ("http://h/v1?key=AIzaSyD-0123456789abcdefghij&x=1", "http://h/v1?key=***&x=1"),
        ("http://h/v1?sig=abc%2Fdef&code=1", "http://h/v1?sig=***&code=1"),
        ("http://h/v1", "http://h/v1"),
    ],
)
def test_urls(url, shown):
    assert redact_url(url) == shown


def test_argv_forms():
    argv = [
        "python",
        "mt.py",
        "--api-key",
        "sk-A-0123456789",
        "--token=tok-B-0123",
        "-k",
        "sk-C-0123456789",
        "--password",
        "hunter2",
        "--model",
        "gpt",
        "--url",
        "http://u:p@h/x?token=t1",
    ]
    assert redact_argv(argv) == [
        "python",
        "mt.py",
        "--api-key",
        "***",
        "--token=***",
        "-k",
        "***",
        "--password",
        "***",
        "--model",
        "gpt",
        "--url",
        "http://***@h/x?token=***",
    ]


def test_config_tables_at_any_depth():
    config = {
        "base_url": "http://alice:PW-0123@h/v1?api-key=sk-Q-0123456789",
        "api_key_env": "MY_KEY",
        "max_tokens": 64,
        "extra_body": {"api_key": "VAL1", "opts": [{"secretToken": "VAL2"}], "top_k": 3},
        "headers": {"X-Custom": "VAL3", "Content-Type": "application/json"},
        "env": {"INNOCENT": "hf_abcdefghijklmnop"},
        "system_prompt": "Use Bearer abc.def.ghi",
    }
    out = redact(config)
    text = repr(out)
    for secret in ("PW-0123", "sk-Q", "VAL1", "VAL2", "VAL3", "hf_abc", "abc.def"):
        assert secret not in text, secret
    assert out["max_tokens"] == 64 and out["api_key_env"] == "MY_KEY"
    assert out["extra_body"]["top_k"] == 3
    assert out["headers"]["Content-Type"] == "application/json"
    assert redact(out) == out  # idempotent


def test_scrub_masks_by_value_and_by_structure(monkeypatch):
    monkeypatch.setenv("SOME_TOKEN", "plain-value-123")
    text = (
        'error: {"api_key": "hunter22", "detail": "plain-value-123 rejected",'
        ' "max_tokens": 5} Authorization: Bearer xyz123 see https://u:pw@h/?access_token=a1'
    )
    out = scrub(text)
    for secret in ("hunter22", "plain-value-123", "xyz123", "pw@", "a1"):
        assert secret not in out, secret
    assert '"max_tokens": 5' in out


def test_specs_record_no_structural_secret(tmp_path):
    llm = OpenAISystem(
        "llm",
        {
            "base_url": "http://alice:PW-SENTINEL@127.0.0.1:9/v1?api-key=sk-Q-SENTINEL-0123",
            "model": "m",
            "extra_body": {"api_key": "BODY-SENTINEL"},
        },
    )
    cmd = CommandSystem(
        "cmd",
        {"command": ["mt", "--api-key", "sk-ARGV-SENTINEL-01", "--token=TOK-SENTINEL"]},
        root=tmp_path,
    )
    text = repr([llm.spec(), cmd.spec()])
    assert "SENTINEL" not in text, text
    assert (
        llm.url
        == "http://alice:PW-SENTINEL@127.0.0.1:9/v1/chat/completions?api-key=sk-Q-SENTINEL-0123"
    )


def test_terminal_safe():
    raw = "a\x1b[2Jb\x1b]0;title\x07c\x1b]8;;http://x\x1b\\d\x9b1me\x1bcf\rg\u202eh\x00i\n\tj"
    assert terminal_safe(raw) == "abcdef?g?h?i\n\tj"
    assert terminal_safe("x\ny", keep_newlines=False) == "x y"
