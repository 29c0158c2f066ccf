"""The Korean PyTorchKR posts 001 (2023-W41) and 002 (2024-W42), record by record."""

from pathlib import Path

import pytest

from evalkit.digests import parse_file
from evalkit.digests import text as tx

DIGESTS = Path(__file__).resolve().parents[2] / "fixtures" / "digests"
BOILERPLATE = (
    "논문 소개",
    "논문 초록",
    "논문 링크",
    "더 읽어보기",
    "원문",
    "좋아요",
    "파이토치 한국",
)


@pytest.fixture(scope="module")
def w41():
    fmt, result = parse_file(DIGESTS / "001_d1cdc3da727fa672.txt")
    assert fmt == "pytorchkr-ko" and result.problems == []
    return {e.title["en"]: e for e in result.entries}


@pytest.fixture(scope="module")
def w42():
    fmt, result = parse_file(DIGESTS / "002_2d275b1d774cf9ef.txt")
    assert fmt == "pytorchkr-ko" and result.problems == []
    return {e.title["en"]: e for e in result.entries}


def _texts(entries):
    for e in entries.values():
        for name in ("title", "summary", "abstract"):
            for lang, value in getattr(e, name).items():
                if value:
                    yield name, lang, value


def test_001_ten_papers_with_english_and_korean_everywhere(w41):
    assert len(w41) == 10
    for e in w41.values():
        assert e.week.label == "2023-W41"
        assert (e.week.start.isoformat(), e.week.end.isoformat()) == ("2023-10-09", "2023-10-15")
        for name in ("title", "summary", "abstract"):
            field = getattr(e, name)
            assert field["en"] and field["ko"] and field["ja"] is None, (e.title, name)
            assert not tx.has_native(field["en"]), (e.title, name)
            assert tx.is_native(field["ko"], "ko"), (e.title, name)


def test_001_ring_attention_texts(w41):
    e = w41["Ring Attention with Blockwise Transformers for Near-Infinite Context"]
    assert e.line == 15
    assert e.title["ko"] == "무한에 가까운 컨텍스트를 위한 블록형 트랜스포머로 링 어텐션 제공"
    assert e.summary["ko"].startswith("자체 어텐션의 블록 단위 계산을 활용하여 긴 시퀀스를")
    assert e.summary["ko"].endswith("컨텍스트 길이가 1억을 초과할 수 있습니다.")
    assert e.summary["en"].startswith("A memory-efficient approach that leverages blockwise")
    assert e.summary["en"].endswith(
        "context length of 100 million without attention approximations."
    )
    assert e.abstract["en"].startswith("Transformers have emerged as the architecture of choice")
    assert e.abstract["en"].endswith(
        "allowing large sequence input size and improving performance."
    )
    assert e.abstract["ko"].endswith("성능을 개선하는 데 효과적이라는 것이 입증되었습니다.")
    assert e.links == ["https://x.com/haoliuhl/status/1709630382457733596"]
    assert e.arxiv_id is None and e.tags == [] and e.flags == []


@pytest.mark.parametrize(
    ("title", "ending", "tags"),
    [
        (
            "Survey on Factuality in Large Language Models: Knowledge, Retrieval and"
            " Domain-Specificity",
            "이를 개선하는 방법에 대한 인사이트를 제공합니다.",
            ["survey-paper", "llm"],
        ),
        (
            "Meta-CoT: Generalizable Chain-of-Thought Prompting in Mixed-task Scenarios with"
            " Large Language Models",
            "입력 질문에 대한 최종 답변 유추를 수행합니다.",
            ["chain-of-thought"],
        ),
        (
            "A Survey of Large Language Models for Healthcare: from Data, Technology, and"
            " Applications to Accountability and Ethics",
            "헬스케어 도메인에 적용되는 LLM에 대한 포괄적인 개요입니다.",
            ["llm", "medical", "survey-paper"],
        ),
        (
            "FireAct: Toward Language Agent Fine-tuning",
            "성능이 77% 향상됨을 주장합니다.",
            ["fine-tuning"],
        ),
    ],
)
def test_001_tag_words_move_from_the_korean_summary_to_tags(w41, title, ending, tags):
    e = w41[title]
    assert e.summary["ko"].endswith(ending)
    assert e.tags == tags
    assert {
        "code": "tags_stripped",
        "field": "summary",
        "detail": "ko: " + " ".join(tags),
    } in e.flags


def test_001_no_bullets_indentation_labels_or_urls_in_text(w41):
    for name, lang, value in _texts(w41):
        for para in value.split("\n"):
            assert para == para.strip() and not para.startswith(("•", "-", ">")), (name, lang)
            assert not tx.is_url(para)
            assert para not in BOILERPLATE


def test_002_ten_papers_one_without_abstract(w42):
    assert len(w42) == 10
    assert all(e.week.label == "2024-W42" for e in w42.values())
    o1 = w42["On the Planning Abilities of OpenAI’s o1 Models"]
    assert o1.title["ko"] == "OpenAI의 o1 모델의 기획 능력에 대해 알아보기"
    assert o1.abstract == {"en": None, "ko": None, "ja": None}
    assert o1.summary["en"].startswith("Reports that o1-preview is particularly strong")
    with_abstract = [e for e in w42.values() if e.abstract["en"] and e.abstract["ko"]]
    assert len(with_abstract) == 9


def test_002_first_person_fairness_keeps_three_paragraphs_on_each_side(w42):
    e = w42["First-Person Fairness in Chatbots"]
    ko, en = e.abstract["ko"].split("\n"), e.abstract["en"].split("\n")
    assert len(ko) == 3 and len(en) == 3
    assert ko[0].startswith("ChatGPT와 같은 챗봇은 이력서 작성부터 엔터테인먼트에 이르기까지")
    assert ko[1].startswith("저희는 실제 챗봇 상호작용의 이질적인 대규모 말뭉치에서")
    assert ko[2].startswith("우리의 접근 방식은 정량적인 편향성 측정뿐만 아니라")
    assert en[0].startswith("Chatbots like ChatGPT are used by hundreds of millions of people")
    assert en[1].startswith("We propose a scalable, privacy-preserving method")
    assert en[2].startswith("Our approach not only provides quantitative bias measurements")
    assert "\n" not in e.summary["ko"] and "\n" not in e.summary["en"]


def test_002_model_kinship_korean_with_long_english_phrase_stays_korean(w42):
    e = w42["Exploring Model Kinship for Merging Large Language Models"]
    assert e.abstract["ko"].startswith("모델 병합은 대규모 언어 모델(LLM)의 기능과 효율성을")
    assert e.abstract["ko"].endswith(
        "코드는 GitHub - zjunlp/ModelKinship: Exploring Model Kinship for Merging Large"
        " Language Models 에서 확인할 수 있습니다."
    )
    assert e.abstract["en"].startswith("Model merging has become one of the key technologies")
    assert e.abstract["en"].endswith(
        "Code is available at GitHub - zjunlp/ModelKinship: Exploring Model Kinship for"
        " Merging Large Language Models."
    )
    assert "\n" not in e.abstract["ko"] and "\n" not in e.abstract["en"]
    assert e.links == [
        "https://github.com/zjunlp/ModelKinship",
        "https://x.com/omarsar0/status/1846753148007846329",
    ]


def test_002_no_intro_or_closing_boilerplate_in_any_text(w42):
    first = w42["Thinking LLMs: General Instruction Following with Thought Generation"]
    assert first.line == 14
    last = w42["CoTracker3: Simpler and Better Point Tracking by Pseudo-Labelling Real Videos"]
    assert last.abstract["en"].endswith("reliably tracks visible and occluded points.")
    for _name, _lang, value in _texts(w42):
        for word in ("좋아요", "파이토치 한국 사용자 모임", "이번 주 논문들에서는", "PyTorchKR"):
            assert word not in value
        assert not any(para in BOILERPLATE for para in value.split("\n"))
