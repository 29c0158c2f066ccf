"""Fixtures for the neural tests: tiny models built once per session, no network.

Each test module skips itself when torch or transformers is missing (.ci/run installs both).
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tiny_models  # noqa: E402


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any connection that leaves the machine: model loading must stay local."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "::1", "localhost")
            and not host.startswith("/")
        ):
            raise AssertionError(f"network access attempted: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> dict[str, Path]:
    """Tiny randomly initialised models (and COMET checkpoints), saved to a temp folder."""
    root = tmp_path_factory.mktemp("tiny-models")
    xlmr = tiny_models.build_xlmr(root / "xlmr")
    models = {
        "bert": tiny_models.build_bert(root / "bert"),
        "xlmr": xlmr,
        "gpt2": tiny_models.build_gpt2(root / "gpt2"),
        "t5": tiny_models.build_t5(root / "t5"),
    }
    for name, kwargs in tiny_models.COMET_MODELS.items():
        models[name] = tiny_models.build_comet(root / name, xlmr, **kwargs)
    return models
