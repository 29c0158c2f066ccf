import pytest

from evalkit.systems.sentences import lead, split_sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We use e.g. BLEU. It works.", ["We use e.g. BLEU.", "It works."]),
        (
            "Smith et al. (2023) agree. J. Doe does not!",
            ["Smith et al. (2023) agree.", "J. Doe does not!"],
        ),
        (
            "Accuracy rose 3.5 points to 91.2%. See Fig. 3 for details.",
            ["Accuracy rose 3.5 points to 91.2%.", "See Fig. 3 for details."],
        ),
        ("It beats GPT-4 vs. Claude. Why? Data.", ["It beats GPT-4 vs. Claude.", "Why?", "Data."]),
        ("The U.S. team won. Next.", ["The U.S. team won.", "Next."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        (
            "이 논문은 방법을 제안합니다. 성능이 3.5배 향상됩니다! 왜일까요? 데이터입니다.",
            [
                "이 논문은 방법을 제안합니다.",
                "성능이 3.5배 향상됩니다!",
                "왜일까요?",
                "데이터입니다.",
            ],
        ),
        (
            "本論文は手法を提案する。性能は3.5倍に向上した！なぜか？「データ」だ。",
            ["本論文は手法を提案する。", "性能は3.5倍に向上した！", "なぜか？", "「データ」だ。"],
        ),
        ("First line without end\nSecond line.", ["First line without end", "Second line."]),
        ("", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_lead_joins_like_the_source_language():
    assert lead("A one. B two. C three.", 2) == "A one. B two."
    assert lead("一つ目。二つ目。三つ目。", 2) == "一つ目。二つ目。"
    assert lead("Only one", 3) == "Only one"
