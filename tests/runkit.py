"""Test helpers for runs: a small dataset, system scripts, a run reader."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

from evalkit.dataset import Paper, save

WEEKS = {"2023-W41": ("2023-10-09", "2023-10-15"), "2023-W42": ("2023-10-16", "2023-10-22")}

_EN = [
    (
        "Ring Attention",
        "Ring attention scales context. It splits the sequence across devices.",
        "We present ring attention. It uses blockwise computation. "
        "Results show 3.5x longer context.",
    ),
    (
        "Small Models Reason",
        "Small models can reason well. Training data matters most.",
        "We study small language models. Careful data selection helps. We release code.",
    ),
    (
        "Sparse Experts",
        "Sparse experts cut compute. Routing is learned end to end.",
        "Mixture of experts reduces cost. A router picks experts per token. Quality is preserved.",
    ),
]
_KO = [
    (
        "링 어텐션",
        "링 어텐션은 컨텍스트를 확장합니다. 시퀀스를 여러 장치에 나눕니다.",
        "링 어텐션을 제안합니다. 블록 단위 계산을 사용합니다. "
        "결과는 3.5배 긴 컨텍스트를 보여줍니다.",
    ),
    (
        "작은 모델의 추론",
        "작은 모델도 잘 추론할 수 있습니다. 학습 데이터가 가장 중요합니다.",
        "작은 언어 모델을 연구합니다. 신중한 데이터 선택이 도움이 됩니다. 코드를 공개합니다.",
    ),
    (
        "희소 전문가",
        "희소 전문가는 계산을 줄입니다. 라우팅은 끝까지 학습됩니다.",
        "전문가 혼합은 비용을 줄입니다. 라우터가 토큰마다 전문가를 고릅니다. 품질은 유지됩니다.",
    ),
]
_JA = [
    (
        "リングアテンション",
        "リングアテンションは文脈を拡張する。系列を複数の装置に分割する。",
        "リングアテンションを提案する。ブロック単位の計算を用いる。結果は3.5倍長い文脈を示す。",
    ),
    (
        "小さなモデルの推論",
        "小さなモデルもよく推論できる。学習データが最も重要である。",
        "小さな言語モデルを研究する。慎重なデータ選択が役立つ。コードを公開する。",
    ),
    (
        "疎な専門家",
        "疎な専門家は計算を減らす。ルーティングは端から端まで学習される。",
        "専門家の混合はコストを減らす。ルーターがトークンごとに専門家を選ぶ。品質は保たれる。",
    ),
]


def make_papers() -> list[Paper]:
    """Six papers over two weeks: three with Korean, three with Japanese."""
    papers = []
    for week_i, (week, (start, end)) in enumerate(WEEKS.items()):
        for i in range(3):
            en, other = _EN[i], (_KO if week_i == 0 else _JA)[i]
            lang = "ko" if week_i == 0 else "ja"
            texts = {
                k: {"en": en[j], "ko": None, "ja": None}
                for j, k in enumerate(("title", "summary", "abstract"))
            }
            for j, k in enumerate(("title", "summary", "abstract")):
                texts[k][lang] = other[j]
            slug = en[0].lower().replace(" ", "-")
            papers.append(
                Paper(
                    id=f"{week}-{slug}",
                    week=week,
                    week_start=start,
                    week_end=end,
                    arxiv_id=None,
                    **texts,
                )
            )
    return papers


def make_dataset(folder: Path) -> Path:
    """Write the small dataset to ``folder/papers.jsonl`` and return the file."""
    return save(make_papers(), folder / "papers.jsonl")


def write_script(folder: Path, name: str, body: str) -> Path:
    """A Python script for a command system; ``body`` is dedented."""
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


#: A command translator that upper-cases the text, appends "+1" to calls.txt on each start,
#: and sleeps SLOW seconds per request when the environment says so.
ECHO_SCRIPT = """
import json, os, sys, time
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "calls.txt"), "a") as fh:
    fh.write("+1\\n")
for line in sys.stdin:
    req = json.loads(line)
    time.sleep(float(os.environ.get("SLOW", "0")))
    print(json.dumps({"id": req["id"], "output": req["text"].upper()}), flush=True)
"""


def calls(folder: Path) -> int:
    path = folder / "calls.txt"
    return len(path.read_text().splitlines()) if path.exists() else 0


def toml_system(name: str, **table: Any) -> str:
    """One ``[systems.NAME]`` table in TOML (values JSON-encoded, which TOML accepts here)."""
    lines = [f'[systems."{name}"]']
    for key, value in table.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items())
            lines.append(f"{key} = {{ {inner} }}")
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def python_argv(script: str) -> list[str]:
    return [sys.executable, script]


def run_dirs(results: Path) -> list[Path]:
    return (
        sorted(p for p in (results / "runs").iterdir() if p.is_dir())
        if (results / "runs").is_dir()
        else []
    )


def read_run(results: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """run.json and segments of the only run under ``results``."""
    (run_dir,) = run_dirs(results)
    meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    segments = [
        json.loads(line)
        for line in (run_dir / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    return meta, segments
