"""What is new: the models' history read from git, the changelog page, the landing page's
"last updated" line and the Atom feed, on a throwaway repository with fixed dates."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sphinx_llmarch.ext.feed import FEED
from sphinx_llmarch.model.history import NO_REPOSITORY, SHALLOW, read_history

from .conftest import TESTS, warning_lines

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/gallery/"
TINY = TESTS / "roots" / "test-gallery" / "models"
#: the commits of the throwaway repository: date, subject, files written
COMMITS = [
    ("2026-01-02T10:00:00+00:00", "Add Tiny GQA", {"tiny-gqa.yaml": None}),
    ("2026-02-03T11:30:00+01:00", "Add Tiny MLA", {"tiny-mla.yaml": None}),
    (
        "2026-03-04T09:15:00+00:00",
        "Tiny GQA: the context its card states",
        {"tiny-gqa.yaml": ("native: 4096", "native: 8192")},
    ),
]
INDEX = """# Tiny site

```{llmarch-last-updated}
```

```{toctree}
changelog
other
```
"""
CHANGELOG = "# What changed\n\n```{llmarch-changelog}\n```\n"


def git(repo: Path, *args: str, date: str = "2026-01-01T00:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Tester",
        "GIT_AUTHOR_EMAIL": "tester@example.org",
        "GIT_COMMITTER_NAME": "Tester",
        "GIT_COMMITTER_EMAIL": "tester@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    run = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def commit(repo: Path, date: str, subject: str, files: dict) -> None:
    for name, edit in files.items():
        path = repo / "models" / name
        if edit is None:
            shutil.copyfile(TINY / name, path)
        else:
            path.write_text(path.read_text().replace(*edit))
    git(repo, "add", "-A", date=date)
    git(repo, "commit", "-q", "-m", subject, date=date)


def site_source(root: Path, *, feed: bool | None = True) -> Path:
    """A tiny site: a landing page, a changelog, an article and the models folder."""
    (root / "models").mkdir(parents=True)
    conf = ['extensions = ["myst_parser", "sphinx_llmarch"]', 'exclude_patterns = ["_build"]']
    conf += ['project = "Tiny"', 'author = "Tiny authors"', f'html_baseurl = "{BASE}"']
    if feed is not None:
        conf.append(f"llmarch_feed = {feed}")
    (root / "conf.py").write_text("\n".join(conf) + "\n")
    (root / "index.md").write_text(INDEX)
    (root / "changelog.md").write_text(CHANGELOG)
    (root / "other.md").write_text("# Other\n\nAn article.\n")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = site_source(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    for date, subject, files in COMMITS:
        commit(root, date, subject, files)
    return root


def build(make_app, srcdir: Path, out: Path, **conf: object):
    app = make_app("html", srcdir=srcdir, builddir=out, freshenv=True, confoverrides=conf)
    app.build()
    return app


# --------------------------------------------------------------------------- history


def test_history_dates_each_addition_and_change(repo: Path) -> None:
    history = read_history(repo / "models")
    assert history.missing == ""
    got = [(c.date, c.subject, c.added, c.changed) for c in history.changes]
    assert got == [
        ("2026-03-04T09:15:00+00:00", COMMITS[2][1], (), ("tiny-gqa",)),
        ("2026-02-03T11:30:00+01:00", "Add Tiny MLA", ("tiny-mla",), ()),
        ("2026-01-02T10:00:00+00:00", "Add Tiny GQA", ("tiny-gqa",), ()),
    ]
    assert history.updated == "2026-03-04T09:15:00+00:00"
    assert history.added_on() == {
        "tiny-gqa": "2026-01-02T10:00:00+00:00",
        "tiny-mla": "2026-02-03T11:30:00+01:00",
    }


def test_a_renamed_file_keeps_its_date_and_a_removed_one_is_not_named(repo: Path) -> None:
    git(repo, "mv", "models/tiny-mla.yaml", "models/tiny-mla2.yaml")
    git(repo, "commit", "-q", "-m", "Rename", date="2026-04-01T00:00:00+00:00")
    git(repo, "rm", "-q", "models/tiny-gqa.yaml")
    git(repo, "commit", "-q", "-m", "Remove", date="2026-05-01T00:00:00+00:00")
    history = read_history(repo / "models")
    assert [(c.subject, c.added, c.changed) for c in history.changes] == [
        ("Rename", (), ("tiny-mla2",)),
        ("Add Tiny MLA", ("tiny-mla2",), ()),
    ]
    assert history.added_on() == {"tiny-mla2": COMMITS[1][0]}


def test_without_history_the_reason_is_given(repo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "archive"
    shutil.copytree(repo / "models", plain / "models")
    assert read_history(plain / "models").missing == NO_REPOSITORY
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    assert read_history(shallow / "models").missing == SHALLOW


# --------------------------------------------------------------------------- site


def test_changelog_page_and_landing_line(make_app, repo: Path, tmp_path: Path) -> None:
    app = build(make_app, repo, tmp_path / "out")
    assert warning_lines(app) == []
    out = Path(app.outdir)
    page = (out / "changelog.html").read_text()
    days = re.findall(r'<section class="llmarch-changes" id="changes-([0-9-]+)"', page)
    assert days == ["2026-03-04", "2026-02-03", "2026-01-02"]
    body = page[page.index('id="changes-2026-03-04"') :]
    first = body[: body.index('id="changes-2026-02-03"')]
    assert 'href="models/tiny-gqa.html">Tiny GQA</a>' in first
    assert "Facts changed" in first and COMMITS[2][1] in first
    assert "Added" in body[body.index('id="changes-2026-02-03"') :]
    index = (out / "index.html").read_text()
    assert re.search(
        r'Last updated 2026-03-04 — <a class="reference internal" href="changelog.html">'
        r"what changed</a>",
        index,
    )


def _alternate(page: str) -> list[str]:
    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page
    )


def test_the_feed_is_atom_with_absolute_links(make_app, repo: Path, tmp_path: Path) -> None:
    app = build(make_app, repo, tmp_path / "out")
    out = Path(app.outdir)
    feed = ET.fromstring((out / FEED).read_bytes())
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None
    assert feed.findtext(f"{ATOM}updated") == "2026-03-04T09:15:00+00:00"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == BASE + FEED
    entries = feed.findall(f"{ATOM}entry")
    got = [
        (
            e.findtext(f"{ATOM}title"),
            e.findtext(f"{ATOM}updated"),
            e.find(f"{ATOM}link").get("href"),  # type: ignore[union-attr]
        )
        for e in entries
    ]
    assert got == [
        ("Facts changed: Tiny GQA", "2026-03-04T09:15:00+00:00", BASE + "models/tiny-gqa.html"),
        ("Added Tiny MLA", "2026-02-03T11:30:00+01:00", BASE + "models/tiny-mla.html"),
        ("Added Tiny GQA", "2026-01-02T10:00:00+00:00", BASE + "models/tiny-gqa.html"),
    ]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 3 and all(
        i and i.startswith(BASE + "changelog.html#change-") for i in ids
    )
    content = entries[0].findtext(f"{ATOM}content") or ""
    assert f'<a href="{BASE}models/tiny-gqa.html">Tiny GQA</a>' in content
    # named in the head of the landing page and the changelog, not of other pages
    assert _alternate((out / "index.html").read_text()) == [FEED]
    assert _alternate((out / "changelog.html").read_text()) == [FEED]
    assert _alternate((out / "other.html").read_text()) == []


def test_no_feed_unless_asked(make_app, tmp_path: Path) -> None:
    root = site_source(tmp_path / "repo", feed=None)
    git(root, "init", "-q", "-b", "main")
    commit(root, *COMMITS[0])
    app = build(make_app, root, tmp_path / "out")
    assert warning_lines(app) == []
    out = Path(app.outdir)
    assert not (out / FEED).exists()
    assert _alternate((out / "index.html").read_text()) == []
    assert "Add Tiny GQA" in (out / "changelog.html").read_text()


def test_same_history_same_bytes(make_app, repo: Path, tmp_path: Path) -> None:
    first = Path(build(make_app, repo, tmp_path / "a").outdir)
    second = Path(build(make_app, repo, tmp_path / "b").outdir)
    for name in (FEED, "changelog.html", "index.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_new_commit_rewrites_the_changelog(make_app, repo: Path, tmp_path: Path) -> None:
    app = build(make_app, repo, tmp_path / "out")
    model = repo / "models" / "tiny-mla.yaml"
    model.write_text(model.read_text() + "\n")
    app.build()  # the edit is read; the history has no commit of it yet
    git(repo, "commit", "-q", "-am", "Tiny MLA: a blank line", date="2026-06-07T08:00:00+00:00")
    app.build()  # nothing to read: the history alone changed
    out = Path(app.outdir)
    assert 'id="changes-2026-06-07"' in (out / "changelog.html").read_text()
    assert "Last updated 2026-06-07" in (out / "index.html").read_text()
    assert (
        ET.fromstring((out / FEED).read_bytes())
        .findtext(f"{ATOM}updated", "")
        .startswith("2026-06-07")
    )


def test_without_history_the_page_says_so(make_app, repo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "archive"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    app = build(make_app, plain, tmp_path / "out")
    assert warning_lines(app) == []
    out = Path(app.outdir)
    page = (out / "changelog.html").read_text()
    assert "cannot be listed here: this copy of the project has no git history" in page
    assert not (out / FEED).exists() and _alternate((out / "index.html").read_text()) == []
    index = (out / "index.html").read_text()
    assert "Last updated" not in index and ">What changed</a>" in index
