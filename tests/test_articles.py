"""The articles: in the navigation, every model linked, every figure from the data.

The site fixture builds with ``-n -W``, so an inline fact that does not resolve (an
unknown model, fact or field) fails the build, and with it every test here.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path

import pytest

from .conftest import MODELS, REPO

sys.path.insert(0, str(REPO / "tools"))
import editorial

ARTICLES = REPO / "docs" / "articles"
NAMES = (
    "big-comparison",
    "gpt2-to-gpt-oss",
    "attention-variants",
    "hybrid-models",
    "architectures-of-2026",
)

_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_LABEL = re.compile(r"^\([\w-]+\)=$", re.MULTILINE)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_NUMBER = re.compile(r"(?<![\w.\-])\d+(?:[,.:]\d+)*(?![\w-])")
# a standalone number right after these words is part of a name ("Llama 4", "Step 3.5")
_NAMED = re.compile(
    r"(Llama|Gemma|Olmo|OLMo|Qwen|Small|Large|Step|Nemotron|Ling|Grok|Kimi|MiniMax|Solar Open)\s$"
)


def _prose(source: str) -> str:
    """An article's text without directives, roles, labels and link targets."""
    for pattern in (_FENCE, _ROLE, _LABEL, _LINK_TARGET):
        source = pattern.sub(" ", source)
    return source


def hand_typed_numbers(source: str) -> list[str]:
    """Numbers written into the prose itself, rather than quoted from the data by a role."""
    prose = _prose(source)
    return [m.group(0) for m in _NUMBER.finditer(prose) if not _NAMED.search(prose[: m.start()])]


def _body_text(page: str) -> str:
    body = page[page.index("<article") : page.index("</article>")]
    body = re.sub(r"<svg.*?</svg>|<table.*?</table>", " ", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_number_check_finds_typed_numbers() -> None:
    assert hand_typed_numbers("a window of 4096 tokens, a ratio of 5:1, in 2024.") == [
        "4096",
        "5:1",
        "2024",
    ]
    assert hand_typed_numbers("GPT-2 and Llama 4 use Mamba-2 ideas, Qwen3 too.") == []
    assert hand_typed_numbers("Solar Open 2 is open; the Open 2 is a number.") == ["2"]
    assert hand_typed_numbers("{llmarch:fact}`gemma-3-27b.window` tokens") == []


@pytest.mark.parametrize("name", NAMES)
def test_articles_have_no_number_typed_by_hand(name: str) -> None:
    source = (ARTICLES / f"{name}.md").read_text(encoding="utf-8")
    assert hand_typed_numbers(source) == []


def test_articles_are_in_the_navigation(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="articles/index.html"' in index
    listing = (site / "articles" / "index.html").read_text(encoding="utf-8")
    for name in NAMES:
        assert f'href="{name}.html"' in listing


def test_the_editorial_report_finds_a_model_no_article_discusses(tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(MODELS, models)
    (models / "demo-new-1b.yaml").write_text((MODELS / "llama-3-8b.yaml").read_text())
    found = editorial.report(models, ARTICLES)
    before = editorial.report(MODELS, ARTICLES)
    assert found.unlinked == sorted([*before.unlinked, "demo-new-1b"])
    assert found.not_in_comparison == sorted([*before.not_in_comparison, "demo-new-1b"])
    assert "demo-new-1b" in found.not_shown_in_comparison
    assert "llama-3-8b" not in found.unlinked  # the articles discuss it


def test_the_editorial_report_reads_roles_and_directives() -> None:
    source = (
        "See {llmarch:model}`Llama <llama-3-8b>` and {llmarch:fact}`qwen3-8b.kv_cache`.\n"
        "```{llmarch-compare} gpt2-xl olmo-2-7b\n```\n"
    )
    assert editorial.linked(source) == {"llama-3-8b", "qwen3-8b", "gpt2-xl", "olmo-2-7b"}
    assert editorial.shown(source) == {"gpt2-xl", "olmo-2-7b"}


def test_inline_facts_render_as_values(site: Path) -> None:
    for name in NAMES:
        page = (site / "articles" / f"{name}.html").read_text(encoding="utf-8")
        assert "llmarch-missing" not in page
        facts = re.findall(r'<span class="llmarch-fact">([^<]*)</span>', page)
        assert facts, name
        assert not [f for f in facts if f in ("none", "unknown")], name


def test_the_comparison_article_is_long_form(site: Path) -> None:
    page = (site / "articles" / "big-comparison.html").read_text(encoding="utf-8")
    assert len(_body_text(page).split()) >= 8000
