"""Sphinx configuration of the LLM Architecture Gallery site.

The source directory is the repository root: the pages live in ``docs/`` and
every model file in ``models/`` becomes a page of its own.

The site's public address comes from ``LLMARCH_SITE_URL`` (the GitHub Pages workflow sets
it), else from Read the Docs' ``READTHEDOCS_CANONICAL_URL``, else the project's GitHub
Pages address; it drives canonical links, the sitemap, robots.txt and the social cards.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

project = "LLM Architecture Gallery"
author = "sphinx-llmarch maintainers"
copyright = "2026, sphinx-llmarch maintainers"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_llmarch",
    "sphinx_llmarch._docs",
    "sphinx_llmarch._docs_bench",
    "sphinx_llmarch._docs_importer",
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "notfound.extension",
]

root_doc = "docs/index"
include_patterns = ["docs/**", "models/*.yaml"]
exclude_patterns = ["docs/_templates/**", "docs/examples/**", "**/README.md"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
templates_path = ["docs/_templates"]

llmarch_models_dir = "models"
# the gallery, charts and export show every model (the bundled ones are these same files)
llmarch_aggregate_models = "all"
# models.json, models.csv and the schema beside the site, for the data page
llmarch_export = True
# a picture for every shared link to a model page
llmarch_social_cards = True

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "LLM Architecture Gallery"
html_favicon = "docs/_static/favicon.svg"
html_baseurl = (
    os.environ.get("LLMARCH_SITE_URL")
    or os.environ.get("READTHEDOCS_CANONICAL_URL")
    or "https://sphinx-llmarch.github.io/sphinx-llmarch/"
).rstrip("/") + "/"

# sitemap.xml: the addresses as built (no language or version in the path)
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html", "index.html"]

# OpenGraph and Twitter cards; the description is the page's first paragraph (a model's
# summary), also written as the page's meta description
ogp_site_url = html_baseurl
ogp_site_name = "LLM Architecture Gallery"
ogp_description_length = 200
ogp_enable_meta_description = True
ogp_type = "website"
# our own cards (a model's diagram), not the extension's matplotlib ones
ogp_social_cards = {"enable": False}
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary_large_image">']

# the 404 page's links work from any depth: absolute, under the site's path
notfound_urls_prefix = urlsplit(html_baseurl).path
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1><p>There is no page at this address. The "
        f'<a href="{urlsplit(html_baseurl).path}docs/gallery.html">gallery</a> lists every '
        "model, and the search box finds a model, a concept or an article.</p>"
    ),
}
# the site's entry point is docs/index.html; the root index.html points there
html_additional_pages = {"index": "redirect.html"}
html_context = {"redirect_target": "docs/index.html"}


def _caption_levels(app, pagename, templatename, context, doctree):  # type: ignore[no-untyped-def]
    """Sphinx marks toctree captions role="heading" without the aria-level that role needs;
    furo puts them in the sidebar of every page. Level 2: under the page's own h1."""
    tree = context.get("furo_navigation_tree")
    if tree:
        context["furo_navigation_tree"] = tree.replace(
            'role="heading">', 'role="heading" aria-level="2">'
        )


def _robots(app, exception):  # type: ignore[no-untyped-def]
    """robots.txt: everything may be crawled; the sitemap is at the site's address."""
    if exception is None and app.builder.name == "html":
        text = f"User-agent: *\nAllow: /\n\nSitemap: {html_baseurl}sitemap.xml\n"
        Path(app.outdir, "robots.txt").write_text(text, encoding="utf-8")


def setup(app):  # type: ignore[no-untyped-def]
    # after furo's own handler (priority 500), which renders the navigation tree
    app.connect("html-page-context", _caption_levels, priority=600)
    app.connect("build-finished", _robots)
