import codecs
import unicodedata

import pytest

from evalkit.digests import text as tx
from evalkit.digests.reader import decode


def test_clean_line_normalizes_to_nfc_and_plain_spaces():
    nfd = unicodedata.normalize("NFD", "논문 소개")
    assert nfd != "논문 소개"
    assert tx.clean_line(nfd) == "논문 소개"
    assert tx.clean_line("\ufeffa\u200bb\tc\u00a0 d \x07") == "ab c d"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  • 자체 어텐션의 블록", "자체 어텐션의 블록"),
        ("    A memory-efficient approach", "A memory-efficient approach"),
        ("- Transformerにおける", "Transformerにおける"),
        ("> Finds that the", "Finds that the"),
        (">Finds", "Finds"),
        ("> - nested", "nested"),
        ("-1.5 is a number", "-1.5 is a number"),
        ("*args stay", "*args stay"),
        ("•", "•"),
    ],
)
def test_strip_markers(line, expected):
    assert tx.strip_markers(line) == expected


def test_script_tells_korean_from_english_despite_long_english_phrases():
    korean = (
        "코드는 GitHub - zjunlp/ModelKinship: Exploring Model Kinship for Merging Large"
        " Language Models 에서 확인할 수 있습니다."
    )
    assert tx.is_native(korean, "ko")
    assert not tx.is_native("Model merging uses the word 모델 once in a long English text.", "ko")
    assert tx.is_native("ImageBind を通じた LLM のマルチモーダル命令チューニング手法", "ja")
    assert not tx.is_native("Q-Transformer", "ja")


@pytest.mark.parametrize(
    ("text", "bare", "clean", "tags"),
    [
        (
            "인사이트를 제공합니다. survey-paper llm",
            True,
            "인사이트를 제공합니다.",
            ["survey-paper", "llm"],
        ),
        ("유추를 수행합니다. chain-of-thought", True, "유추를 수행합니다.", ["chain-of-thought"]),
        (
            "개요입니다. llm medical survey-paper",
            True,
            "개요입니다.",
            ["llm", "medical", "survey-paper"],
        ),
        ("好むことが示されています。 #rlhf", False, "好むことが示されています。", ["rlhf"]),
        ("アプローチです #optimizing", False, "アプローチです", ["optimizing"]),
        (
            "示しています。 #mathematical-reasoning #wizardmath",
            False,
            "示しています。",
            ["mathematical-reasoning", "wizardmath"],
        ),
        ("サーベイです。 #survey論文", False, "サーベイです。", ["survey論文"]),
        # not tags: no sentence end before them, uppercase, English-only text, numbers
        ("성능을 보여줍니다 llm", True, "성능을 보여줍니다 llm", []),
        ("성능이 향상됩니다. GPT-4", True, "성능이 향상됩니다. GPT-4", []),
        ("It scales well. see appendix", True, "It scales well. see appendix", []),
        ("We rank #1", False, "We rank #1", []),
        ("C# code", False, "C# code", []),
    ],
)
def test_strip_trailing_tags(text, bare, clean, tags):
    assert tx.strip_trailing_tags(text, bare=bare) == (clean, tags)


def test_hash_tag_line():
    assert tx.hash_tag_line("#alignment #tool") == ["alignment", "tool"]
    assert tx.hash_tag_line("#detr") == ["detr"]
    assert tx.hash_tag_line("#detr and more") is None
    assert tx.hash_tag_line("# heading") is None


@pytest.mark.parametrize(
    ("heading", "native", "english"),
    [
        (
            "무한에 가까운 컨텍스트를 위한 블록형 트랜스포머로 링 어텐션 제공 / Ring Attention with"
            " Blockwise Transformers for Near-Infinite Context",
            "무한에 가까운 컨텍스트를 위한 블록형 트랜스포머로 링 어텐션 제공",
            "Ring Attention with Blockwise Transformers for Near-Infinite Context",
        ),
        (
            "回路効率によるgrokkingの説明 / Explaining grokking through circuit efficiency",
            "回路効率によるgrokkingの説明",
            "Explaining grokking through circuit efficiency",
        ),
        ("Q-Transformer", None, "Q-Transformer"),
        ("입력 / 출력 모델 / Input / Output Models", "입력 / 출력 모델", "Input / Output Models"),
        ("Input Models / 입력 모델", "입력 모델", "Input Models"),
        ("영어 제목이 없는 제목", "영어 제목이 없는 제목", None),
        ("한국어 / 日本語", "한국어 / 日本語", None),
    ],
)
def test_split_heading(heading, native, english):
    assert tx.split_heading(heading) == (native, english)


def test_parse_authors_keeps_parentheses_of_the_title():
    assert tx.parse_authors("DETR (Detection) Is Fine (Yutong Lin, Han Hu)") == (
        "DETR (Detection) Is Fine",
        ["Yutong Lin", "Han Hu"],
    )
    assert tx.parse_authors("A Title Without Authors") == ("A Title Without Authors", [])
    assert tx.parse_authors("(Only, Authors)") == ("(Only, Authors)", [])
    assert tx.split_author_list("A B, C D and E F") == ["A B", "C D", "E F"]
    assert tx.split_author_list("A B,\n  C D, and E F") == ["A B", "C D", "E F"]


def test_slug_and_title_key():
    assert tx.slugify("On the Planning Abilities of OpenAI’s o1 Models") == (
        "on-the-planning-abilities-of-openais-o1-models"
    )
    assert tx.normalize_title("On the Planning Abilities of OpenAI's o1 Models") == (
        tx.normalize_title("on the planning abilities of openai’s O1 models")
    )
    long = tx.slugify("word " * 60)
    assert len(long) <= 100 and not long.endswith("-")
    assert tx.slugify("한국어 제목") == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2308.16898", "2308.16898"),
        ("https://arxiv.org/pdf/2309.00267v2.pdf", "2309.00267"),
        ("http://arxiv.org/abs/hep-th/0101001v1", "hep-th/0101001"),
        ("https://huggingface.co/papers/2310.01234", "2310.01234"),
        ("https://q-transformer.github.io/", None),
    ],
)
def test_arxiv_id(url, expected):
    assert tx.arxiv_id(url) == expected


def test_decode_accepts_bom_crlf_cr_and_utf16():
    text = "첫 줄\r\n둘째 줄\r셋째 줄\n"
    expected = ["첫 줄", "둘째 줄", "셋째 줄", ""]
    assert decode(codecs.BOM_UTF8 + text.encode("utf-8"), "f") == (expected, [])
    assert decode(text.encode("utf-16"), "f") == (expected, [])


def test_decode_reports_bad_bytes_with_file_and_line_and_keeps_going():
    data = b"good\n" + b"bad \xff\xfe line\n" + "논문 소개\n".encode()
    lines, problems = decode(data, "digest.txt")
    assert lines[0] == "good" and lines[2] == "논문 소개"
    assert lines[1].startswith("bad ") and "\ufffd" in lines[1]
    assert [str(p) for p in problems] == [
        "digest.txt:2: not valid UTF-8 (byte 0xff at column 5); undecodable bytes replaced"
        " with U+FFFD"
    ]


def test_decode_caps_encoding_problems_for_binary_junk():
    data = b"\n".join(b"\x80\x80 junk %d" % i for i in range(50))
    lines, problems = decode(data, "junk.txt")
    assert len(lines) == 50
    assert len(problems) == 11
    assert str(problems[-1]).startswith("junk.txt:50: 40 more lines are not valid UTF-8")


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_decode_reads_a_whole_korean_legacy_file_with_one_problem(codec):
    text = "[2023/10/09 ~ 10/15] 이번 주의 주요 ML 논문\n논문 소개\n자체 어텐션의 블록 단위 계산"
    lines, problems = decode(text.encode(codec), "legacy.txt")
    assert lines == text.split("\n")
    assert [str(p) for p in problems] == [
        "legacy.txt:1: not UTF-8: read as cp949 (save the file as UTF-8)"
    ]


@pytest.mark.parametrize(("codec", "name"), [("shift_jis", "cp932"), ("euc-jp", "euc_jp")])
def test_decode_reads_a_whole_japanese_legacy_file_with_one_problem(codec, name):
    text = (
        "[2023/09/04 ~ 09/10] 今週の主要ML論文\n論文紹介\n- 人間とAIのフィードバックの有効性を比較"
    )
    lines, problems = decode(text.encode(codec), "legacy.txt")
    assert lines == text.split("\n")
    assert [p.message for p in problems] == [f"not UTF-8: read as {name} (save the file as UTF-8)"]
