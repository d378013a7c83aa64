"""The activations of feed-forward blocks: SwiGLU (plain or clamped), GeGLU, SiTU, PolyNorm,
GELU and squared ReLU.

A gated activation (SwiGLU, GeGLU, SiTU, PolyNorm) multiplies the activated output of one
projection with a second projection, so its MLP has three matrices instead of two.  SiTU
(Kimi K3) is a SiLU-like gate whose input is first soft-capped by a tanh; it also soft-caps
the second projection.  The caps have no weights.  The clamped SwiGLU of gpt-oss and
MiniMax M3 (``swigluoai``) clips both halves, sharpens the gate's sigmoid and adds one to
the linear half; it has the same three matrices.  PolyNorm (Motif) is learned itself: a
weighted sum of the RMS-normalised first, second and third powers of its input plus a
bias, four scalars per MLP (per expert in a MoE).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .base import Concept, ConfigReader, FamilyTraits
from .sketch import Sketch
from .words import N_, Phrase

#: the clamped SwiGLU's gate sharpness and clip, as gpt-oss and MiniMax M3 set them
CLAMPED_ALPHA, CLAMPED_LIMIT = 1.702, 7.0

#: the names a model file may give (schema order)
Name = Literal["gelu", "swiglu", "clamped-swiglu", "geglu", "situ", "relu2", "polynorm"]


@dataclass(frozen=True)
class Activation:
    name: str
    #: as tables and panel titles name the MLP: 'SwiGLU', 'GELU MLP'
    label: str
    #: the nonlinearity drawn in the feed-forward panel
    symbol: str
    #: a gate projection beside the up projection
    gated: bool
    concept: Concept
    #: learned scalars of the activation itself, in each MLP
    coefficients: int = 0


ACTIVATIONS: dict[str, Activation] = {
    "swiglu": Activation(
        "swiglu", "SwiGLU", "SiLU", True, Concept("swiglu", "SwiGLU feed-forward", 180)
    ),
    "clamped-swiglu": Activation(
        "clamped-swiglu",
        "Clamped SwiGLU",
        N_("clamped\nx·σ(αx)"),
        True,
        Concept("clamped-swiglu", "Clamped SwiGLU", 181),
    ),
    "geglu": Activation(
        "geglu", "GeGLU", "GELU", True, Concept("geglu", "GeGLU feed-forward", 182)
    ),
    "situ": Activation("situ", "SiTU GLU", "SiTU", True, Concept("situ", "SiTU feed-forward", 183)),
    "gelu": Activation("gelu", "GELU MLP", "GELU", False, Concept("gelu", "GELU MLP", 184)),
    "relu2": Activation(
        "relu2", "ReLU² MLP", "ReLU²", False, Concept("relu2", "Squared-ReLU MLP", 186)
    ),
    # three weights (x, x², x³ after RMS normalisation) and a bias
    "polynorm": Activation(
        "polynorm",
        "PolyNorm GLU",
        "PolyNorm",
        True,
        Concept("polynorm", "PolyNorm feed-forward", 188),
        coefficients=4,
    ),
}


def mlp_params(width: int, hidden: int, activation: str, bias: bool) -> int:
    """One MLP from ``width`` to ``hidden`` and back; gated kinds have three matrices."""
    act = ACTIVATIONS[activation]
    weights = (3 if act.gated else 2) * width * hidden
    biases = ((2 if act.gated else 1) * hidden + width) if bias else 0
    return weights + biases + act.coefficients


def from_config(c: ConfigReader, fam: FamilyTraits, gated: bool | None = None) -> str:
    """The activation a config names, gated or not as its family's code builds the MLP."""
    act = str(
        c.get(
            "hidden_activation",
            "hidden_act",
            "activation_function",
            "mlp_hidden_act",
            default=fam.activation or "silu",
        )
    )
    c.mark("use_gated_activation")
    act = fam.fixed_activation or act
    gated = fam.gated_ffn if gated is None else gated
    if act == "swigluoai":
        # the kind fixes the sigmoid's sharpness and the clip; other values stay unexplained
        for key, value in (("swiglu_alpha", CLAMPED_ALPHA), ("swiglu_limit", CLAMPED_LIMIT)):
            if c.data.get(key, value) == value:
                c.mark(key)
        return "clamped-swiglu"
    if "relu2" in act:
        return "relu2"
    if act == "poly_norm":
        return "polynorm"
    if act == "situ":  # Kimi K3: its two soft caps are weightless settings
        c.mark("activation_situ_beta", "activation_situ_linear_beta")
        return "situ"
    if act.startswith("gelu"):
        return "geglu" if gated else "gelu"
    return "swiglu" if gated else act


def panel(activation: str, note: str, expert: bool) -> Sketch:
    """The MLP of a feed-forward block (or of each expert) with this activation."""
    act = ACTIVATIONS[activation]
    title = N_("Each expert: feed forward (%(act)s)") if expert else N_("Feed forward (%(act)s)")
    s = Sketch("ffn", Phrase(title, act=act.label), "ffn", act.concept.key)
    if act.gated:
        s.box("gate", "Linear")
        s.box("up", "Linear")
        s.box("act", act.symbol, "act")
        s.op("mul", "×")
        s.box("down", "Linear")
        s.chain("in", "gate", "act", "mul", "down", "out")
        s.chain("in", "up", "mul")
        s.same_rank("gate", "up")
    else:
        s.box("up", "Linear")
        s.box("act", act.symbol, "act")
        s.box("down", "Linear")
        s.chain("in", "up", "act", "down", "out")
    s.notes.append(note)
    return s


#: every activation's concept, for the feed-forward kinds to declare
CONCEPTS = tuple(a.concept for a in ACTIVATIONS.values())
