"""The ``llmarch`` domain: where each model lives and who mentions it.

Data is plain dicts and lists keyed by docname, so it pickles small, is cleared per
document (``clear_doc``) and merges from parallel readers (``merge_domaindata``).  Models
are also listed in ``objects.inv``, so other projects can link to them through
intersphinx.  Its roles are in :mod:`.roles`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.errors import NoUri
from sphinx.util.nodes import make_refnode

from ..describe.concepts import concept_entries, search_title
from .missing import cannot_use, usable
from .state import state_of
from .uris import in_output
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

Page = tuple[str, str, str, dict[str, Any]]
#: the label of a concept's section is this and its key
CONCEPT_TARGET = "llmarch-concept-"  # docname, anchor, title, summary


class Place(NamedTuple):
    docname: str
    anchor: str
    title: str


class LlmarchDomain(Domain):
    name = "llmarch"
    label = "LLM architectures"
    object_types = {  # noqa: RUF012 - Sphinx API
        "model": ObjType("model", "model"),
        "concept": ObjType("concept"),
    }
    initial_data = {  # noqa: RUF012
        "pages": {},  # slug -> (docname, anchor, title, summary) of the model's own page
        "shown": {},  # docname -> [(slug, anchor, title)] diagrams on that page
        "refs": {},  # docname -> [slug] models the page mentions (roles, facts, comparisons)
        "aggregates": {},  # docname -> [(kind, arg)]: pages built from every model's data
        "snapshot": {},  # what pages built from other pages' data showed when last written
        "records": {},  # slug -> the model's export record, made when its page is read
        "reported": {},  # docname -> [slug] models the page names but cannot use, reported
        # slug -> (base, what changed from it): for the family trees, of models whose base
        # has a page too; made once both are read (``familytree.note_family_changes``)
        "family": {},
    }
    data_version = 7

    # ------------------------------------------------------------------ data

    @property
    def pages(self) -> dict[str, Page]:
        return cast("dict[str, Page]", self.data["pages"])

    @property
    def shown(self) -> dict[str, list[tuple[str, str, str]]]:
        return cast("dict[str, list[tuple[str, str, str]]]", self.data["shown"])

    @property
    def refs(self) -> dict[str, list[str]]:
        return cast("dict[str, list[str]]", self.data["refs"])

    @property
    def aggregates(self) -> dict[str, list[tuple[str, str]]]:
        return cast("dict[str, list[tuple[str, str]]]", self.data["aggregates"])

    @property
    def records(self) -> dict[str, dict[str, Any]]:
        return cast("dict[str, dict[str, Any]]", self.data["records"])

    @property
    def family(self) -> dict[str, tuple[str, list[str]]]:
        return cast("dict[str, tuple[str, list[str]]]", self.data["family"])

    @property
    def snapshot(self) -> dict[str, Any]:
        return cast("dict[str, Any]", self.data["snapshot"])

    def note_page(
        self, slug: str, docname: str, title: str, summary: dict[str, Any], record: dict[str, Any]
    ) -> None:
        # one file per slug in one folder: a slug cannot have two pages
        self.pages[slug] = (docname, "", title, summary)
        self.records[slug] = record
        state_of(self.env).models_changed = True

    def note_shown(self, docname: str, slug: str, title: str) -> str:
        """Record a diagram of ``slug`` on ``docname``; return its unique anchor."""
        entries = self.shown.setdefault(docname, [])
        n = sum(1 for s, _, _ in entries if s == slug)
        anchor = f"llmarch-{slug}" + (f"-{n + 1}" if n else "")
        entries.append((slug, anchor, title))
        self.note_reference(docname, slug)
        return anchor

    def note_reference(self, docname: str, slug: str) -> None:
        slugs = self.refs.setdefault(docname, [])
        if slug not in slugs:
            slugs.append(slug)

    def first_report(self, docname: str, slug: str) -> bool:
        """True the first time a page reports that it cannot use ``slug``: one warning per
        page and model, however often the page names it."""
        reported = self.data["reported"].setdefault(docname, [])
        if slug in reported:
            return False
        reported.append(slug)
        return True

    def note_aggregate(self, docname: str, kind: str, arg: str) -> None:
        """``docname`` shows ``kind`` (with ``arg``) built from every model's data."""
        self.aggregates.setdefault(docname, []).append((kind, arg))

    def clear_doc(self, docname: str) -> None:
        for slug, entry in list(self.pages.items()):
            if entry[0] == docname:
                del self.pages[slug]
                self.records.pop(slug, None)
                # what changed from it, or to it, is made again once it is read again
                for child, (base, _) in list(self.family.items()):
                    if slug in (child, base):
                        del self.family[child]
                state_of(self.env).models_changed = True
        self.shown.pop(docname, None)
        self.refs.pop(docname, None)
        self.aggregates.pop(docname, None)
        self.data["reported"].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        names = set(docnames)
        for slug, entry in otherdata["pages"].items():
            if entry[0] in names:
                self.pages[slug] = entry
                self.records[slug] = otherdata["records"][slug]
                state_of(self.env).models_changed = True
        for key in ("shown", "refs", "aggregates", "reported"):
            for docname, value in otherdata[key].items():
                if docname in names:
                    self.data[key][docname] = value

    # ------------------------------------------------------------------ queries

    def summaries(self) -> dict[str, dict[str, Any]]:
        return {slug: entry[3] for slug, entry in sorted(self.pages.items())}

    def backlinks(self) -> dict[str, list[str]]:
        """slug → the pages (other than model pages) that mention it, sorted."""
        model_pages = {entry[0] for entry in self.pages.values()}
        out: dict[str, set[str]] = {}
        for docname, slugs in self.refs.items():
            if docname in model_pages:
                continue
            for slug in slugs:
                out.setdefault(slug, set()).add(docname)
        return {slug: sorted(docs) for slug, docs in sorted(out.items())}

    def locate(self, slug: str) -> Place | None:
        """The model's own page, else the first page showing its diagram."""
        page = self.pages.get(slug)
        if page:
            return Place(page[0], page[1], page[2])
        for docname in sorted(self.shown):
            for s, anchor, title in self.shown[docname]:
                if s == slug:
                    return Place(docname, anchor, title)
        return None

    def resolve_xref(  # type: ignore[override] # unknown targets resolve to plain text
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Element | None:
        slug = target.strip()
        place = self.locate(slug)
        if place is None:
            if usable(state_of(env).store, slug) is not None:
                # a model the project can load but shows nowhere: intersphinx may link it
                # (the published gallery), else :func:`unlinked_model` writes its name
                return None
            if self.first_report(fromdocname, slug):
                message = cannot_use(state_of(env).store, slug)
                warn(f"{message}; the :{self.name}:{typ}: role links nothing", "ref", node)
            # resolved to plain text, so Sphinx does not warn about it a second time
            return nodes.inline(contnode.astext(), contnode.astext(), classes=["llmarch-missing"])
        if not node.get("refexplicit"):
            contnode = nodes.inline(place.title, place.title, classes=["llmarch-model-ref"])
        if not in_output(builder, place.docname):
            return contnode  # the name alone: the output has no page to link to
        try:
            return make_refnode(
                builder, fromdocname, place.docname, place.anchor, contnode, place.title
            )
        except NoUri:  # LaTeX and Texinfo hold no model pages
            return contnode

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        place = self.locate(target.strip())
        if place is None or not in_output(builder, place.docname):
            return []
        ref = make_refnode(builder, fromdocname, place.docname, place.anchor, contnode, place.title)
        return [("llmarch:model", ref)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Models and concepts, for ``objects.inv`` and the site search.

        A model's own page is found by the search through its title, so its object is
        kept out of the search (priority -1): listed twice, once as an object, a model
        would show twice.  A model without a page is listed once, at its first diagram.
        Each concept is listed at its section, by its title and its other names, first
        in the search (priority 0): a reader's "MLA" finds the section that explains it."""
        for slug, (docname, anchor, title, _) in sorted(self.pages.items()):
            yield slug, title, "model", docname, anchor, -1
        for slug in sorted({s for entries in self.shown.values() for s, _, _ in entries}):
            place = None if slug in self.pages else self.locate(slug)
            if place is not None:
                yield slug, place.title, "model", place.docname, place.anchor, 2
        labels = cast("dict[str, tuple[str, str, str]]", self.env.domains["std"].data["labels"])
        for concept in concept_entries():
            label = labels.get(f"{CONCEPT_TARGET}{concept.key}")
            if label and label[0]:
                yield concept.key, search_title(concept), "concept", label[0], label[1], 0


def unlinked_model(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.Element | None:
    """``missing-reference``, after intersphinx: a model the project can load but shows
    nowhere, and no inventory links, is written as its name, without a warning."""
    if node.get("refdomain") != LlmarchDomain.name or node.get("reftype") != "model":
        return None
    model = usable(state_of(env).store, node["reftarget"].strip())
    if model is None:
        return None
    text = contnode.astext() if node.get("refexplicit") else model.spec.name
    return nodes.inline(text, text, classes=["llmarch-model-ref", "llmarch-unlinked"])


def domain_of(env: BuildEnvironment) -> LlmarchDomain:
    return env.domains["llmarch"]  # type: ignore[return-value]
