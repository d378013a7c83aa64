"""Publishing: the deployment configurations, and what the built site tells search engines
and link previews (sitemap, robots.txt, canonical links, descriptions, 404 page, icon).

The configurations cannot run here; they are checked against their published schemas
(check-jsonschema's copies of the Read the Docs and GitHub Actions schemas) and for what
they must do.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from sphinx_llmarch.model.loader import load_file

from .conftest import MODELS, REPO

RTD = REPO / ".readthedocs.yaml"
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
#: the address conf.py falls back to (neither LLMARCH_SITE_URL nor Read the Docs' is set)
BASE = "https://sphinx-llmarch.github.io/sphinx-llmarch/"


def _schema_check(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.readthedocs", RTD), ("vendor.github-workflows", WORKFLOW)],
    ids=["read-the-docs", "github-workflow"],
)
def test_the_configurations_match_their_schemas(schema: str, path: Path, tmp_path: Path) -> None:
    assert _schema_check(schema, path).returncode == 0
    broken = tmp_path / path.name  # the check can fail: a wrong type is refused
    text = path.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("version: 2", "version: two").replace("runs-on:", "runs-on: [", 1)
    )
    assert _schema_check(schema, broken).returncode != 0


def test_read_the_docs_builds_like_nox() -> None:
    commands = yaml.safe_load(RTD.read_text(encoding="utf-8"))["build"]["commands"]
    assert "python -m nox -s docs" in commands
    assert any("_build/html" in c and "$READTHEDOCS_OUTPUT/html" in c for c in commands)


def test_the_workflow_tests_builds_uploads_and_deploys_from_main() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(flow[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key 'on' as True
    jobs = flow["jobs"]
    runs = [s.get("run", "") for s in jobs["test"]["steps"]]
    assert "python -m nox -s lint tests" in runs
    build = jobs["build"]["steps"]
    assert any(s.get("run") == "python -m nox -s docs" for s in build)
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    deploy = jobs["deploy"]
    assert deploy["needs"] == ["test", "build"]
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert flow["permissions"] == {"contents": "read"}  # nothing more for the other jobs


def test_the_sitemap_lists_every_model_page(site: Path) -> None:
    urls = {
        loc.text
        for loc in ET.parse(site / "sitemap.xml")
        .getroot()
        .iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }
    assert {f"{BASE}models/{p.stem}.html" for p in MODELS.glob("*.yaml")} <= urls
    assert {f"{BASE}index.html", f"{BASE}memory.html"} <= urls and f"{BASE}404.html" not in urls
    assert not any("/docs/" in url for url in urls)  # the old addresses only redirect
    assert (
        (site / "robots.txt").read_text(encoding="utf-8").endswith(f"Sitemap: {BASE}sitemap.xml\n")
    )


@pytest.mark.parametrize("slug", ["deepseek-v3", "gemma-3-27b"])
def test_a_model_page_is_described_for_previews(site: Path, slug: str) -> None:
    page = (site / "models" / f"{slug}.html").read_text(encoding="utf-8")
    model = load_file(MODELS / f"{slug}.yaml").model
    assert model is not None and model.spec.editorial and model.spec.editorial.summary
    summary = re.escape(model.spec.editorial.summary.replace("'", "&#x27;"))
    assert re.search(rf'<meta name="description" content="{summary}" />', page)
    assert re.search(rf'<meta property="og:description" content="{summary}" />', page)
    assert page.count('name="description"') == 1
    assert f'<link rel="canonical" href="{BASE}models/{slug}.html">' in page
    assert f'<meta property="og:url" content="{BASE}models/{slug}.html" />' in page
    assert 'rel="shortcut icon" href="../_static/favicon.svg"' in page
    card = f"{BASE}_images/llmarch/{slug}-card.png"
    assert f'<meta property="og:image" content="{card}" />' in page
    assert (site / "_images" / "llmarch" / f"{slug}-card.png").is_file()


def test_the_404_page_works_from_any_depth(site: Path) -> None:
    page = (site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in page
    # every local link and asset is absolute under the site's path, so it works at any depth
    local = re.findall(r'(?:href|src)="(/[^"]*)"', page)
    assert local and all(link.startswith("/sphinx-llmarch/") for link in local)
    assert 'href="/sphinx-llmarch/gallery.html"' in page


def _pages_in_docs() -> list[str]:
    """Every page of the site's docs/ folder, as its address at the site's root."""
    docs = REPO / "docs"
    return sorted(
        p.relative_to(docs).with_suffix(".html").as_posix()
        for p in docs.rglob("*.md")
        if p.relative_to(docs).parts[0] not in ("_templates", "examples", "models")
        and p.name != "README.md"
    )


def test_the_landing_page_is_the_root_and_pages_have_short_addresses(site: Path) -> None:
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="llmarch-gallery' in landing  # the landing page itself, not a redirect
    assert f'<link rel="canonical" href="{BASE}index.html">' in landing
    for page in _pages_in_docs():
        assert (site / page).is_file(), page
    assert (site / "models" / "llama-3-8b.html").is_file()


def test_every_old_docs_address_redirects_to_its_new_one(site: Path) -> None:
    pages = _pages_in_docs()
    assert "gallery.html" in pages and "guide/directives.html" in pages
    for page in pages:
        old = (site / "docs" / page).read_text(encoding="utf-8")
        target = "../" * (page.count("/") + 1) + page
        assert f'url={target}"' in old, page
        assert f'location.replace("{target}" + location.search + location.hash)' in old
        assert '<meta name="robots" content="noindex">' in old
        # the target exists: relative to the old page's folder
        assert (site / "docs" / Path(page).parent / target).resolve().is_file()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_every_model_page_can_be_shared_with_a_picture(site: Path) -> None:
    """Issue 18's list, for every model file: canonical address, meta description, the
    OpenGraph title, description and a 1200 × 630 picture that exists."""
    for path in sorted(MODELS.glob("*.yaml")):
        slug = path.stem
        page = (site / "models" / f"{slug}.html").read_text(encoding="utf-8")
        meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page))
        assert f'<link rel="canonical" href="{BASE}models/{slug}.html">' in page, slug
        assert meta.get("description") and meta.get("og:description"), slug
        assert meta.get("og:title"), slug
        image = meta["og:image"]
        assert image == f"{BASE}_images/llmarch/{slug}-card.png", slug
        assert _png_size(site / image.removeprefix(BASE)) == (1200, 630), slug
