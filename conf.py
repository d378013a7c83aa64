"""Sphinx configuration of the LLM Architecture Gallery site.

The source directory is ``docs/`` (``sphinx-build -c . docs _build/html``): its pages
are the site's root, and ``docs/models`` links to the repository's ``models/``, so that
every model file becomes a page of its own at ``models/<slug>.html``. Pages were once built
under ``docs/``; those addresses redirect to the new ones.

The site's public address comes from ``LLMARCH_SITE_URL`` (the GitHub Pages workflow sets
it), else from Read the Docs' ``READTHEDOCS_CANONICAL_URL``, else the project's GitHub
Pages address; it drives canonical links, the sitemap, robots.txt and the social cards.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from sphinx_llmarch import __version__

project = "LLM Architecture Gallery"
# the package's version, shown in every page's footer (docs/_templates/page.html)
version = release = __version__
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
    "sphinx_reredirects",
]

HERE = Path(__file__).resolve().parent

root_doc = "index"
exclude_patterns = ["_templates/**", "examples/**", "**/README.md"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
templates_path = ["docs/_templates"]

llmarch_models_dir = "models"
# the gallery, charts and export show every model (the bundled ones are these same files)
llmarch_aggregate_models = "all"
# models.json, models.csv and the schema beside the site, for the data page
llmarch_export = True
# a picture for every shared link to a model page
llmarch_social_cards = True
# the favicon as a PNG for phones' home screens
llmarch_touch_icon = True
# changelog.atom: the models added and changed, from the git history
llmarch_feed = True

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
sitemap_excludes = ["search.html", "genindex.html", "404.html"]

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
        f'<a href="{urlsplit(html_baseurl).path}gallery.html">gallery</a> lists every '
        "model, and the search box finds a model, a concept or an article.</p>"
    ),
}
# `nox -s linkcheck`: every external link of the site, the model files' sources among them.
# The allow-list (docs/guide/contributing.md, "Checking links"): sites that answer automated
# clients with a bot challenge or a refusal, whatever the page, and the files that the build
# writes beside the pages (the export), which are not sources to check.
linkcheck_ignore = [
    r"https://ai\.meta\.com/",  # refuses clients that are not browsers
    r"https://cdn\.openai\.com/",  # a bot challenge (403) before any file
    r"^(\.\./)*(models\.json|models\.csv|llmarch-model\.schema\.json)$",  # written by the build
]
linkcheck_timeout = 30
linkcheck_retries = 2
linkcheck_workers = 4
# Hugging Face and GitHub answer bursts with 429: wait as long as they ask, up to 5 minutes
linkcheck_rate_limit_timeout = 300.0
# line anchors of GitHub's and Hugging Face's file views are made by scripts, not in the HTML
linkcheck_anchors_ignore_for_url = [r"https://github\.com/", r"https://huggingface\.co/"]


def _moved_pages() -> dict[str, str]:
    """Every page once built as ``docs/<page>.html`` redirects to ``<page>.html``."""
    docs = HERE / "docs"
    moved = {}
    for path in sorted(docs.rglob("*")):
        page = path.relative_to(docs)
        skipped = page.parts[0] in ("_templates", "examples", "models") or path.name == "README.md"
        if path.suffix in (".md", ".rst") and not skipped:
            docname = page.with_suffix("").as_posix()
            moved[f"docs/{docname}"] = f"/{docname}.html"
    return moved


# sphinx-reredirects turns each absolute target into a path relative to the old page
redirects = _moved_pages()
redirect_html_template_file = "_templates/redirect.html"


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
