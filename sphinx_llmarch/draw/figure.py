"""Model → the complete description of its diagram (:class:`FigureSpec`).  Pure.

The spec holds the DOT text of the main panel and of each side panel, which boxes link
to which concept, the numbers to write beside the boxes, the footer and a text
description for screen readers; :mod:`.compose` turns it into one SVG.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from ..describe import fmt
from ..describe.labels import mixer_labels
from ..describe.rows import Row, rows_of
from ..mechanisms import activations
from ..mechanisms.sketch import Sketch
from ..mechanisms.words import ENGLISH, N_, Joined, Language
from ..model.figures import Figures
from ..model.loader import LoadedModel
from ..model.stack import LayerSpec, needs_schedule, runs, used_ffns, used_mixers
from .mainpanel import NodeLink, main_panel
from .panels import Panel, schedule_panel, sketch_panel
from .theme import accent_index

Variant = Literal["full", "thumb"]


@dataclass(frozen=True)
class Annotation:
    """Text lines beside node ``node`` of the main panel."""

    node: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class FigureSpec:
    """Everything needed to draw one model's diagram; plain data."""

    slug: str
    variant: Variant
    title: str
    accent: int
    main: str
    links: tuple[NodeLink, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    panels: tuple[Panel, ...] = ()
    footer: tuple[str, ...] = ()
    description: str = ""
    #: the blocks marked as differing from another model's (see :mod:`.changed`)
    changed: tuple[str, ...] = ()
    #: drawn for a comparison: each part of the model (the layer stack, the token mixer,
    #: the feed-forward) starts a row of side panels, so that the same panels of two
    #: models stand in the same rows (elsewhere panels fill each row)
    compared: bool = False
    #: every block's identity and signature written into the SVG, for a page that
    #: compares diagrams in the browser
    signed: bool = False
    #: the language of its words (empty: English)
    language: str = ""

    def key(self) -> str:
        """Content hash; equal specs give byte-identical SVG."""
        # worked out once per spec, from its repr (every field, nested ones too, in a fixed
        # order; no field is a set): a page's diagram asks for it several times, and
        # ``asdict`` with JSON, four times slower, took 5% of a build
        known: str | None = self.__dict__.get("_key")
        if known is None:
            known = hashlib.sha256(repr(self).encode()).hexdigest()[:24]
            self.__dict__["_key"] = known  # frozen: kept beside the fields, not one of them
        return known


def _spans(layers: Sequence[LayerSpec]) -> dict[str, list[tuple[int, int]]]:
    """The runs of layers using each feed-forward block, as (first, last) layer numbers."""
    out: dict[str, list[tuple[int, int]]] = {}
    for run in runs([LayerSpec(s.ffn, None) for s in layers]):
        if run.spec.mixer:
            out.setdefault(run.spec.mixer, []).append((run.first, run.last))
    return out


def span_text(spans: Sequence[tuple[int, int]], total: int, words: Language = ENGLISH) -> str:
    count = sum(b - a + 1 for a, b in spans)
    if count == total:
        return words(N_("all layers"))
    if len(spans) <= 2:
        return ", ".join(
            words(N_("layer %(first)s"), first=a)
            if a == b
            else words(N_("layers %(first)s–%(last)s"), first=a, last=b)
            for a, b in spans
        )
    return words(N_("%(count)s of %(total)s layers"), count=count, total=total)


def attention_notes(model: LoadedModel, words: Language = ENGLISH) -> list[str]:
    """The lines beside the mixer's box.  What every layer type shares is written once, as
    it is; the rest of each layer type's lines follow its name, on one line."""
    arch, stack = model.spec.architecture, model.stack
    mixers = used_mixers(arch, model.layers)
    names = {n: words.label(text) for n, text in mixer_labels(arch, mixers, stack).items()}
    own = {
        n: [words.label(line) for line in [arch.mixers[n].heads_text(), *arch.mixers[n].notes()]]
        for n in mixers
    }
    common = (
        [line for line in own[mixers[0]] if all(line in own[n] for n in mixers)] if mixers else []
    )
    rest = {n: [line for line in own[n] if line not in common] for n in mixers}
    lines = common + [f"{names[n]}: " + "; ".join(rest[n]) for n in mixers if rest[n]]
    return list(dict.fromkeys(lines))


def ffn_notes(model: LoadedModel, words: Language = ENGLISH) -> list[str]:
    arch, layers = model.spec.architecture, model.layers
    ffns = used_ffns(arch, layers)
    spans = _spans(layers)
    lines = []
    for name in ffns:
        text = words.label(arch.ffns[name].note())
        if len(ffns) > 1:
            text = f"{span_text(spans[name], len(layers), words)}: {text}"
        lines.append(text)
    return lines


def side_panels(model: LoadedModel, mix: str, words: Language = ENGLISH) -> list[Panel]:
    """The panels of a full diagram: schedule, mixers' internals, MoE layer, MLPs."""
    arch = model.spec.architecture
    layers = model.layers
    out: list[Panel] = []
    if arch.loop:
        out.append(sketch_panel(arch.loop.panel(len(layers), arch.norm.name), words))
    if needs_schedule(arch, layers):
        out.append(schedule_panel(arch, model.stack, len(layers), mix, words))
    out.extend(mixer_panels(model, words))
    out.extend(sketch_panel(s, words) for f in arch.features if (s := f.panel()) is not None)
    stream = arch.residual.panel() if arch.residual else None
    if stream is not None:
        out.append(sketch_panel(stream, words))
    ffns = [arch.ffns[n] for n in used_ffns(arch, layers)]
    routed = next((s for f in ffns if (s := f.panel(arch.hidden_size)) is not None), None)
    if routed is not None:
        out.append(sketch_panel(routed, words))
    by_activation: dict[str, list[str]] = {}
    for f in ffns:
        by_activation.setdefault(f.activation_name(), []).append(f.hidden_text())
    for name, sizes in by_activation.items():
        expert = all(f.ROUTED for f in ffns if f.activation_name() == name)
        if expert:
            note = words(N_("expert hidden size %(size)s"), size=sizes[0].split(" ")[0])
        else:
            note = words(N_("hidden size %(sizes)s"), sizes=Joined(", ", dict.fromkeys(sizes)))
        out.append(sketch_panel(activations.panel(name, note, expert), words))
    return out


def mixer_panels(model: LoadedModel, words: Language = ENGLISH) -> list[Panel]:
    """One panel per drawing of a mixer's internals.  Layer types drawn alike share it, and
    a note that holds for some of them only starts with their names; layer types drawn
    differently get a panel each, titled with their names."""
    arch = model.spec.architecture
    names = used_mixers(arch, model.layers)
    labels = {n: words.label(text) for n, text in mixer_labels(arch, names, model.stack).items()}
    sketches: dict[str, list[tuple[str, Sketch]]] = {}
    for name in names:
        if (sketch := arch.mixers[name].panel()) is not None:
            sketches.setdefault(sketch.key, []).append((name, sketch))
    out = []
    for group in sketches.values():
        drawings = {json.dumps([asdict(i) for i in s.items]) for _, s in group}
        if len(drawings) > 1:
            for name, sketch in group:
                sketch.key += f"-{name}"
                sketch.title = f"{words.label(sketch.title)} ({labels[name]})"
                out.append(sketch_panel(sketch, words))
            continue
        first = group[0][1]
        common = [n for n in first.notes if all(n in s.notes for _, s in group)]
        own = [
            f"{labels[name]}: {words.label(n)}"
            for name, s in group
            for n in s.notes
            if n not in common
        ]
        first.notes = list(dict.fromkeys(common + own))
        out.append(sketch_panel(first, words))
    return out


_SIZE_IN_NAME = re.compile(r"\d(?:\.\d+)?[BMT]\b")


def title_of(model: LoadedModel, figures: Figures, words: Language = ENGLISH) -> str:
    """'DeepSeek V3 (671B, official)', or '(3.35B, computed)' without an official total;
    names that carry their size ('Qwen3 32B') stay as they are."""
    name = model.spec.name
    if _SIZE_IN_NAME.search(name):
        return name
    official = model.spec.official_params
    if official and official.total:
        return words(
            N_("%(name)s (%(size)s, official)"), name=name, size=fmt.params(official.total)
        )
    size = fmt.params(figures.total_params)
    return words(N_("%(name)s (%(size)s, computed)"), name=name, size=size)


def describe(
    model: LoadedModel, rows: dict[str, Row], figures: Figures, words: Language = ENGLISH
) -> str:
    """The diagram in words, for screen readers and for builders without images: each
    sentence a message, in ``words``' language (its names and figures as they are)."""
    arch = model.spec.architecture
    ffns = Joined("; ", [arch.ffns[n].phrase() for n in used_ffns(arch, model.layers)])
    opening = N_(
        "Architecture of %(name)s, a %(decoder)s decoder with %(count)s layers (%(mix)s). "
    )
    text = words(
        opening,
        name=model.spec.name,
        decoder=words.label(rows["decoder_type"].value).lower(),
        count=rows["layers"].value,
        mix=words.label(rows["layer_mix"].value),
    )
    if arch.residual:
        text += words(
            N_("Residual stream: %(stream)s. "), stream=words.label(arch.residual.phrase())
        )
    if rows["loop"].cell is not None:
        loop = rows["loop"].parts[0]
        text += f"{words.label(loop) if isinstance(loop, str) else loop}. "
    blocks = N_("Attention: %(attention)s. Feed-forward: %(ffn)s. ")
    text += words(blocks, attention=words.label(rows["attention"].value), ffn=ffns)
    sizes = N_("Embedding dimension %(hidden)s, vocabulary %(vocab)s, context %(context)s tokens; ")
    text += words(
        sizes,
        hidden=rows["hidden_size"].value,
        vocab=rows["vocab_size"].value,
        context=rows["context"].value,
    )
    total = N_("%(total)s parameters in total, %(active)s active per token; ")
    text += words(total, total=rows["total_params"].value, active=_active(rows))
    return text + _cache(rows, figures, "", words) + "."


def _active(rows: dict[str, Row]) -> str:
    """The active count as the fact table words it ('4.92B', 'at most 4.92B'), without its share."""
    return rows["active_params"].value.rsplit(" (", 1)[0]


def _cache(
    rows: dict[str, Row], figures: Figures, precision: str = "", words: Language = ENGLISH
) -> str:
    """'KV cache 12 KiB per token', or what a model without a per-token cache keeps."""
    if figures.linear_state_bytes and not figures.kv_cache_bytes_per_token:
        state = fmt.bytes_iec(figures.linear_state_bytes)
        return words(N_("no KV cache, %(state)s fixed state"), state=state) + precision
    return words(N_("KV cache %(size)s per token"), size=rows["kv_cache"].value) + precision


def footer(rows: dict[str, Row], figures: Figures, words: Language = ENGLISH) -> tuple[str, ...]:
    active = figures.active_params != figures.total_params
    layers = words(N_("%(count)s layers"), count=rows["layers"].value)
    if rows["loop"].cell is not None:
        layers += f" {words.label(rows['loop'].value)}"
    total = words(N_("Computed: %(total)s parameters"), total=rows["total_params"].value)
    if active:
        total += words(N_(", %(active)s active per token"), active=_active(rows))
    lines: tuple[str, ...] = (
        f"{layers}: {words.label(rows['layer_mix'].value)}",
        f"{total} · {_cache(rows, figures, ' (bf16)', words)}",
    )
    if rows["unconfirmed"].cell is not None:
        unconfirmed = N_("Not confirmed by an official source: %(fields)s")
        lines += (words(unconfirmed, fields=rows["unconfirmed"].value),)
    return lines


def figure_spec(
    model: LoadedModel, figures: Figures, variant: Variant = "full", words: Language = ENGLISH
) -> FigureSpec:
    """The complete description of ``model``'s diagram, its words in ``words``' language."""
    spec = model.spec
    rows = rows_of(model, figures)
    main = main_panel(model, thumb=variant == "thumb", words=words)
    common = {
        "slug": spec.slug,
        "variant": variant,
        "language": words.code,
        "title": title_of(model, figures, words),
        "accent": accent_index(spec.family_name),
        "main": main.dot,
        "links": main.links,
        "description": describe(model, rows, figures, words),
    }
    if variant == "thumb":
        return FigureSpec(**common)  # type: ignore[arg-type]
    attn_lines, ffn_lines = attention_notes(model, words), ffn_notes(model, words)
    if any(not (s.mixer and s.ffn) for s in model.layers):  # one combined box: one note
        attn_lines, ffn_lines = attn_lines + ffn_lines, []
    arch = spec.architecture
    stream = tuple(words.label(n) for n in arch.residual.notes()) if arch.residual else ()
    context = fmt.tokens(spec.context.native)
    notes = [
        Annotation("head", (words(N_("vocabulary %(size)s"), size=rows["vocab_size"].value),)),
        Annotation("attn", tuple(attn_lines)),
        Annotation("ffn", tuple(ffn_lines)),
        Annotation("block_in", tuple(words.label(f.note()) for f in arch.features)),
        Annotation(
            "embed",
            (words(N_("embedding dimension %(size)s"), size=rows["hidden_size"].value),),
        ),
        Annotation("stream_in", stream),
        Annotation("tokens", (words(N_("context %(count)s tokens"), count=context),)),
    ]
    return FigureSpec(
        annotations=tuple(n for n in notes if n.lines),
        panels=tuple(side_panels(model, rows["layer_mix"].value, words)),
        footer=footer(rows, figures, words),
        **common,  # type: ignore[arg-type]
    )
