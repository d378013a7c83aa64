"""Rotary position embedding (RoPE): queries and keys rotated by their position.

Covers partial RoPE (only a share of each head's dimensions rotated), interleaved
rotation, multimodal sections and the scalings that stretch RoPE to longer contexts
(YaRN, Llama 3's, linear, dynamic, LongRoPE).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, StrictBool

from .base import Concept, ConfigReader, ConfigSpec, FamilyTraits, PosInt, PositionScheme, Spec
from .registry import register
from .words import N_, Joined, Phrase

_SCALINGS = ("yarn", "llama3", "linear", "dynamic", "longrope")

#: a rotary base frequency, when a source states it
Theta = Annotated[
    float | None,
    Field(gt=0, description="RoPE base frequency; leave it out when no source states it."),
]


class RopeScaling(Spec):
    kind: Literal["yarn", "llama3", "linear", "dynamic", "longrope"]
    factor: float = Field(gt=0)
    original_context: PosInt | None = Field(
        None, description="Context length the scaling starts from."
    )


@register
class RoPE(PositionScheme):
    """Rotary position embedding, applied to queries and keys in every layer of this type."""

    kind: Literal["rope"]
    theta: Theta = None
    fraction: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Share of each head's dimensions that is rotated (partial RoPE).",
    )
    interleaved: StrictBool = Field(False, description="GPT-J style interleaved rotation.")
    sections: list[PosInt] | None = Field(None, description="Multimodal RoPE (mRoPE) sections.")
    scaling: RopeScaling | None = None

    FIELD_NAMES: ClassVar[dict[str, str]] = {
        "fraction": "partial RoPE",
        "theta": "RoPE base",
        "scaling": "RoPE scaling",
    }
    CONCEPTS: ClassVar[tuple[Concept, ...]] = (
        Concept("rope", "Rotary position embedding (RoPE)", 210),
        Concept("partial-rope", "Partial RoPE", 220),
        Concept("yarn", "YaRN and RoPE scaling", 240, aliases=("context extension",)),
    )

    def label(self) -> str:
        label = Phrase(N_("Partial RoPE")) if self.fraction < 1 else "RoPE"
        if not self.scaling:
            return label
        kind = self.scaling.kind
        scaling = "YaRN" if kind == "yarn" else Phrase(N_("%(kind)s scaling"), kind=kind)
        return Joined(" + ", [label, scaling])

    def rotated_share(self) -> float:
        return self.fraction

    def base_frequency(self) -> float | None:
        return self.theta

    def detail(self) -> str:
        if self.theta is None:
            return ""
        parts = []
        if self.fraction < 1:
            parts.append(f"{self.fraction:.0%} of dims")
        parts.append(f"θ {int(self.theta):,}")
        if self.scaling:
            parts.append(f"×{self.scaling.factor:g}")
        return ", ".join(parts)

    def concepts_used(self) -> set[str]:
        found = {"rope"}
        if self.fraction < 1:
            found.add("partial-rope")
        if self.scaling is not None:
            found.add("yarn")
        return found


def from_config(
    c: ConfigReader,
    fam: FamilyTraits,
    *,
    full: bool,
    theta: Any = None,
    fraction: float | None = None,
    scaled: bool = True,
) -> ConfigSpec:
    """RoPE as a config states it; ``full``: for full-attention layers (some families
    scale only those); ``scaled=False`` leaves the scaling out (local layers)."""
    group = _per_type_group(c, full)
    if group is not None:
        return _from_group(c, group, full=full, theta=theta, fraction=fraction)
    if theta is None:
        theta = _either(c, ("rope_theta", "rotary_emb_base"), "rope_theta")
    pos: ConfigSpec = {"kind": "rope"}
    if theta is not None:
        pos["theta"] = float(theta)
    head_dim = c.head_dim()
    if fraction is None:
        fraction = _either(c, ("partial_rotary_factor", "rotary_pct"), "partial_rotary_factor")
        rotary = c.get("rotary_dim")
        if fraction is None and rotary and head_dim:
            fraction = rotary / head_dim
    if fraction and float(fraction) < 1:
        pos["fraction"] = round(float(fraction), 4)
    if c.get("rope_interleave") or c.get("rope_style") == "interleave":
        pos["interleaved"] = True
    c.mark("position_embedding_type", "mrope_interleaved")
    c.nested("rope_parameters", "mrope_interleaved")  # interleaved sections: drawn the same
    sections = c.nested("rope_parameters", "mrope_section") or c.nested(
        "rope_scaling", "mrope_section"
    )
    if sections:
        pos["sections"] = list(sections)
    scaling = _scaling(c)
    if scaled and scaling and (full or not fam.yarn_full_only):
        pos["scaling"] = scaling
    return pos


#: keys inside ``rope_scaling`` / ``rope_parameters`` that tune a scaling's curve: the model
#: file records the scaling's kind, factor and original context, not these constants
ROPE_CURVE: frozenset[str] = frozenset(
    {
        "beta_fast",
        "beta_slow",
        "mscale",
        "mscale_all_dim",
        "low_freq_factor",
        "high_freq_factor",
        "attention_factor",
        "truncate",
    }
)

#: the layer-type names under which ``rope_parameters`` gives one group per type
_TYPE_NAMES = {True: "full_attention", False: "sliding_attention"}
#: what a per-type group may hold (besides the constants of a scaling's curve)
_GROUP_KEYS = {
    "rope_type",
    "rope_theta",
    "factor",
    "original_max_position_embeddings",
    "partial_rotary_factor",
} | set(ROPE_CURVE)


def _per_type_group(c: ConfigReader, full: bool) -> dict[str, Any] | None:
    """``rope_parameters[<layer type>]`` when the config gives RoPE per layer type."""
    groups = c.data.get("rope_parameters")
    if not isinstance(groups, dict) or not any(isinstance(v, dict) for v in groups.values()):
        return None
    for key, value in groups.items():
        if isinstance(value, dict):
            continue
        # a setting beside the groups holds for all of them: it must repeat theirs
        stated = [g[key] for g in groups.values() if isinstance(g, dict) and key in g]
        if stated and all(v == value for v in stated):
            c.mark(f"rope_parameters.{key}")
        else:
            c.refuse(f"rope_parameters.{key}", "beside per-layer-type groups that differ")
    for key in ("partial_rotary_factor", "rope_theta"):
        # a top-level copy of one group's setting (Laguna repeats the full layers' fraction)
        top = c.data.get(key)
        if top is not None:
            stated = [g.get(key) for g in groups.values() if isinstance(g, dict)]
            if top in stated:
                c.mark(key)
            else:
                c.refuse(key, "matches none of the per-layer-type groups")
    group = groups.get(_TYPE_NAMES[full])
    return group if isinstance(group, dict) else None


def _from_group(
    c: ConfigReader, group: dict[str, Any], *, full: bool, theta: Any, fraction: float | None
) -> ConfigSpec:
    """RoPE of one layer type, from its own group of ``rope_parameters``."""
    name = _TYPE_NAMES[full]
    for key in group:
        where = f"rope_parameters.{name}.{key}"
        if key in _GROUP_KEYS:
            c.mark(where)
        else:
            c.refuse(where, "not understood")
    pos: ConfigSpec = {"kind": "rope"}
    theta = group.get("rope_theta") if theta is None else theta
    if theta is not None:
        pos["theta"] = float(theta)
    fraction = group.get("partial_rotary_factor") if fraction is None else fraction
    if fraction and float(fraction) < 1:
        pos["fraction"] = round(float(fraction), 4)
    kind = str(group.get("rope_type") or "default")
    if kind != "default":
        if kind not in _SCALINGS or not group.get("factor"):
            c.refuse(
                f"rope_parameters.{name}.rope_type", f"a RoPE of kind '{kind}' is not in the schema"
            )
        else:
            pos["scaling"] = {"kind": kind, "factor": float(group["factor"])}
            original = group.get("original_max_position_embeddings")
            if original:
                pos["scaling"]["original_context"] = int(original)
    return pos


def _either(c: ConfigReader, keys: tuple[str, ...], inner: str) -> Any:
    """A RoPE setting stated at the top level and/or inside ``rope_parameters``; both are
    read, and a disagreement is refused rather than settled by a guess."""
    top, grouped = c.get(*keys), c.nested("rope_parameters", inner)
    if top is not None and grouped is not None and top != grouped:
        c.refuse(f"rope_parameters.{inner}", f"disagrees with {keys[0]} ({top})")
    return top if top is not None else grouped


def _scaling(c: ConfigReader) -> ConfigSpec | None:
    """The RoPE scaling of ``rope_scaling`` (or ``rope_parameters``), read key by key."""
    for group in ("rope_scaling", "rope_parameters"):
        spellings = (c.nested(group, "rope_type"), c.nested(group, "type"))
        kind = str(next((k for k in spellings if k), ""))
        kind = {"deepseek_yarn": "yarn"}.get(kind, kind)
        if kind in ("", "default"):
            continue
        factor = c.nested(group, "factor")
        if kind not in _SCALINGS or not factor:
            c.refuse(f"{group}.rope_type", f"a RoPE scaling of kind '{kind}' is not in the schema")
            return None
        out: ConfigSpec = {"kind": kind, "factor": float(factor)}
        # gpt-oss repeats the original context as initial_context_length
        original = c.nested(group, "original_max_position_embeddings")
        original = c.get("initial_context_length", default=original)
        if original:
            out["original_context"] = int(original)
        return out
    return None
