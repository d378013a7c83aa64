"""Sphinx configuration of the LLM Architecture Gallery site.

The source directory is the repository root: the pages live in ``docs/`` and
every model file in ``models/`` becomes a page of its own.
"""

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
]

root_doc = "docs/index"
include_patterns = ["docs/**", "models/*.yaml"]
exclude_patterns = ["docs/_templates/**", "docs/examples/**", "**/README.md"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
templates_path = ["docs/_templates"]

llmarch_models_dir = "models"
# models.json, models.csv and the schema beside the site, for the data page
llmarch_export = True

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "LLM Architecture Gallery"
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


def setup(app):  # type: ignore[no-untyped-def]
    # after furo's own handler (priority 500), which renders the navigation tree
    app.connect("html-page-context", _caption_levels, priority=600)
