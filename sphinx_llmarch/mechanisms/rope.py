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
        Concept("yarn", "YaRN and RoPE scaling", 240),
    )

    def label(self) -> str:
        label = "Partial RoPE" if self.fraction < 1 else "RoPE"
        if self.scaling:
            kind = self.scaling.kind
            label += " + " + ("YaRN" if kind == "yarn" else f"{kind} scaling")
        return label

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
    if theta is None:
        theta = c.get("rope_theta", "rotary_emb_base") or c.nested("rope_parameters", "rope_theta")
    pos: ConfigSpec = {"kind": "rope"}
    if theta is not None:
        pos["theta"] = float(theta)
    head_dim = c.head_dim()
    if fraction is None:
        fraction = c.get("partial_rotary_factor", "rotary_pct") or c.nested(
            "rope_parameters", "partial_rotary_factor"
        )
        rotary = c.get("rotary_dim")
        if fraction is None and rotary and head_dim:
            fraction = rotary / head_dim
    if fraction and float(fraction) < 1:
        pos["fraction"] = round(float(fraction), 4)
    if c.get("rope_interleave") or c.get("rope_style") == "interleave":
        pos["interleaved"] = True
    c.mark("position_embedding_type", "mrope_interleaved")
    sections = c.nested("rope_parameters", "mrope_section") or c.nested(
        "rope_scaling", "mrope_section"
    )
    if sections:
        pos["sections"] = list(sections)
    scaling = c.get("rope_scaling")
    if scaled and isinstance(scaling, dict) and (full or not fam.yarn_full_only):
        kind = str(scaling.get("rope_type") or scaling.get("type") or "")
        kind = {"deepseek_yarn": "yarn"}.get(kind, kind)
        if kind in _SCALINGS and scaling.get("factor"):
            pos["scaling"] = {"kind": kind, "factor": float(scaling["factor"])}
            original = scaling.get("original_max_position_embeddings")
            if original:
                pos["scaling"]["original_context"] = int(original)
    return pos
