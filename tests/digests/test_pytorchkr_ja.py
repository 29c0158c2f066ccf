"""The Japanese PyTorchKR post 003 (2023-W36), record by record."""

from pathlib import Path

import pytest

from evalkit.digests import parse_file
from evalkit.digests import text as tx

DIGESTS = Path(__file__).resolve().parents[2] / "fixtures" / "digests"


@pytest.fixture(scope="module")
def w36():
    fmt, result = parse_file(DIGESTS / "003_b91e32f9ad96d161.txt")
    assert fmt == "pytorchkr-ja" and result.problems == []
    return {e.title["en"]: e for e in result.entries}


def test_ten_papers_nine_abstracts_nine_arxiv_ids(w36):
    assert len(w36) == 10
    assert all(e.week.label == "2023-W36" for e in w36.values())
    assert all(e.title["ja"] and e.summary["ja"] and e.summary["en"] for e in w36.values())
    assert all(e.summary["ko"] is None and e.title["ko"] is None for e in w36.values())
    assert sum(1 for e in w36.values() if e.abstract["en"] and e.abstract["ja"]) == 9
    assert sorted(e.arxiv_id for e in w36.values() if e.arxiv_id) == [
        "2308.14752",
        "2308.16898",
        "2309.00267",
        "2309.02390",
        "2309.02427",
        "2309.03241",
        "2309.03409",
        "2309.03852",
        "2309.03905",
    ]


def test_q_transformer_english_heading_is_both_titles(w36):
    e = w36["Q-Transformer"]
    assert e.title == {"en": "Q-Transformer", "ko": None, "ja": "Q-Transformer"}
    assert e.abstract == {"en": None, "ko": None, "ja": None}
    assert e.arxiv_id is None
    assert e.links[0] == "https://q-transformer.github.io/"
    assert [f["code"] for f in e.flags] == ["title_untranslated"]
    assert e.summary["en"].startswith("A scalable rl method for training multi-task policies")


def test_markers_are_gone_and_sides_told_apart(w36):
    e = w36["Transformers as Support Vector Machines"]
    assert e.title["ja"] == "サポートベクターマシンとしてのTransformer"
    assert e.summary["ja"].startswith("Transformerにおける自己注意の最適化幾何が")
    assert e.summary["en"].startswith("Finds that the optimization geometry of self-attention")
    assert e.abstract["ja"].startswith('"Attention Is All You Need"の登場以来')
    assert e.abstract["en"].startswith('Since its inception in "Attention Is All You Need"')
    assert e.abstract["en"].endswith(
        "a hierarchy of SVMs that separates and selects optimal tokens."
    )
    for paper in w36.values():
        for name in ("summary", "abstract"):
            for lang in ("en", "ja"):
                value = getattr(paper, name)[lang]
                if value:
                    assert not value.startswith(("-", ">", " ")), (paper.title, name, lang)
                    assert tx.has_native(value) == (lang == "ja"), (paper.title, name, lang)


@pytest.mark.parametrize(
    ("title", "ending", "tags"),
    [
        (
            "RLAIF: Scaling Reinforcement Learning from Human Feedback with AI Feedback",
            "RLAIFとRLHFの両方による生成を好むことが示されています。",
            ["rlhf"],
        ),
        (
            "GPT Can Solve Mathematical Problems Without a Calculator",
            "を示しています。",
            ["mathematical-reasoning", "wizardmath"],
        ),
        (
            "Large Language Models as Optimizers",
            "ときに50%以上上回るアプローチです",
            ["optimizing"],
        ),
        (
            "AI Deception: A Survey of Examples, Risks, and Potential Solutions",
            "人工知能による欺瞞の経験的事例を調査したサーベイです。",
            ["survey論文"],
        ),
    ],
)
def test_hash_tags_move_from_the_japanese_summary_to_tags(w36, title, ending, tags):
    e = w36[title]
    assert e.summary["ja"].endswith(ending)
    assert "#" not in e.summary["ja"]
    assert e.tags == tags
    assert {
        "code": "tags_stripped",
        "field": "summary",
        "detail": "ja: " + " ".join(tags),
    } in e.flags


def test_links_and_closing(w36):
    e = w36["RLAIF: Scaling Reinforcement Learning from Human Feedback with AI Feedback"]
    assert e.arxiv_id == "2309.00267"
    assert e.links == [
        "https://arxiv.org/abs/2309.00267",
        "https://twitter.com/omarsar0/status/1699102486928265530",
    ]
    last = w36["Q-Transformer"]
    assert "https://nlp.elvissaravia.com/p/top-ml-papers-of-the-week-b88" not in last.links
    assert "コメント" not in last.summary["ja"]
