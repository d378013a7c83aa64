"""Sessions: ``docs``, ``docs-live``, ``tests``, ``lint``, ``linkcheck``, ``screenshots``,
``bench`` and ``mutation``."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

BUILD = "_build"
#: conf.py at the top, the pages in docs/ (docs/models links to models/)
SITE = ("-c", ".", "docs")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into _build/html from a fresh environment; any warning fails."""
    session.install("-e", ".[docs]")
    session.run(
        "sphinx-build",
        "-b",
        "html",
        "-n",
        "-W",
        "--keep-going",
        "-E",
        "-d",
        f"{BUILD}/doctrees",
        *SITE,
        f"{BUILD}/html",
        *session.posargs,
    )


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external link of the site, the model files' sources among them, with
    Sphinx's linkcheck builder. It needs the network, so it is not part of ``tests``; the
    sites that refuse automated clients are allow-listed in conf.py (``linkcheck_ignore``,
    documented in the contributors' guide). The report: _build/linkcheck/output.txt."""
    session.install("-e", ".[docs]")
    session.run(
        "sphinx-build",
        "-b",
        "linkcheck",
        "-d",
        f"{BUILD}/doctrees-linkcheck",
        ".",
        f"{BUILD}/linkcheck",
        *session.posargs,
    )


@nox.session
def builders(session: nox.Session) -> None:
    """The site with every other builder, twice each, any warning failing: too slow for the
    test suite, which builds a small outside project with each of them instead."""
    session.install("-e", ".[docs]")
    others = ["dirhtml", "singlehtml", "epub", "latex", "text", "man", "texinfo", "gettext"]
    for name in session.posargs or others:
        for _ in range(2):
            session.run(
                "sphinx-build", "-b", name, "-n", "-W", "--keep-going", "-q",
                "-d", f"{BUILD}/doctrees-{name}", *SITE, f"{BUILD}/{name}",
            )  # fmt: skip


@nox.session(name="docs-live")
def docs_live(session: nox.Session) -> None:
    """Serve the site and rebuild on every change of the docs, the models or the extension."""
    session.install("-e", ".[docs]", "sphinx-autobuild")
    session.run(
        "sphinx-autobuild",
        "-b",
        "html",
        "-n",
        "-d",
        f"{BUILD}/doctrees",
        "--watch",
        "sphinx_llmarch",
        "--watch",
        "conf.py",
        "--watch",
        "models",
        "--ignore",
        f"{BUILD}/*",
        "--ignore",
        ".nox/*",
        "--ignore",
        "tests/*",
        "--ignore",
        "*.pyc",
        "--port",
        "0",
        "--open-browser",
        *SITE,
        f"{BUILD}/html",
        *session.posargs,
    )


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite."""
    session.install("-e", ".[test,docs]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format check) and mypy on the package."""
    session.install("-e", ".", "ruff>=0.6", "mypy>=1.11", "types-PyYAML", "types-docutils")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session
def screenshots(session: nox.Session) -> None:
    """Light and dark screenshots of diagrams into _build/screenshots (needs Chromium)."""
    session.install("-e", ".")
    session.run("python", "tools/screenshots.py", *session.posargs)


@nox.session(python=False)
def editorial(session: nox.Session) -> None:
    """Report models that no article discusses yet (information, not a failure)."""
    session.run("python", "tools/editorial.py", *session.posargs, external=True)


@nox.session
def bench(session: nox.Session) -> None:
    """Build-time benchmark: the real models, then 100, 400 and 1,000 (docs/performance.md).

    Prints one table; ``-- --json FILE`` also writes it as JSON (the performance page reads
    ``bench/results.json``); ``-- --sizes 100,400`` measures fewer sizes.
    """
    session.install("-e", ".[docs]")
    session.run("python", "bench/bench.py", *session.posargs)


@nox.session
def mutation(session: nox.Session) -> None:
    """Mutation score of the modules computing figures, facts, stacks, loading and import.

    A measurement, not part of ``tests`` (docs/reliability.md): mutmut writes sampled
    mutants into mutants/ and runs the fast tests that reach each one; the score per module
    is printed, with the survivors. About 15 minutes on two cores; ``-- --sample 20``
    measures fewer, ``-- --jobs 4`` runs more at once.
    """
    session.install("-e", ".[test]", "mutmut >=3.8,<4")
    session.run("python", "tools/mutation.py", *session.posargs)
