"""Hyper-connections: the residual stream widened into several parallel copies.

Instead of one residual vector per token, the model carries ``n`` of them (``streams``).
Around every sub-layer three sets of mixing weights are applied: *pre* weights collapse
the ``n`` copies into the one vector the sub-layer reads, *post* weights spread the
sub-layer's output back over the copies, and an ``n × n`` *residual* matrix mixes the
copies with each other.  With ``mixing: dynamic`` the weights are computed per token from
the (RMS-normalised, flattened) copies by a learned projection, plus learned biases and
one learned gain per set, as in manifold-constrained hyper-connections (mHC); with
``static`` they are learned constants.  ``constraint: sinkhorn`` keeps the residual matrix
doubly stochastic (rows and columns summing to one) with a few Sinkhorn-Knopp iterations,
so the mixing cannot amplify the signal however many layers are stacked.  Where the
stack ends, the copies are collapsed into one vector before the final norm, by weights
computed the same way (or by their plain mean).  Without a residual mix (Hunyuan's
independent hyper-connections, iHC) the copies carry on unmixed: only the pre and post
weights are computed.

Pure: no Sphinx, no docutils, no I/O.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, StrictBool, model_validator

from .base import Concept, ConfigReader, ConfigSpec, PosInt
from .modelwide import ResidualStream
from .registry import register
from .sketch import Sketch
from .words import N_, Phrase

HYPER_CONNECTIONS = Concept("hyper-connections", "Hyper-connections (HC, mHC)", 295)


@register
class HyperConnections(ResidualStream):
    """A residual stream of ``streams`` copies, mixed around every sub-layer."""

    kind: Literal["hyper_connections"]
    streams: PosInt = Field(description="Copies of the residual stream (hc_mult, expansion rate).")
    mixing: Literal["dynamic", "static"] = Field(
        "dynamic",
        description="'dynamic': weights computed per token from the streams (mHC); "
        "'static': learned constants.",
    )
    constraint: Literal["none", "sinkhorn"] = Field(
        "none", description="'sinkhorn': the residual mixing matrix is made doubly stochastic."
    )
    sinkhorn_iters: PosInt | None = Field(None, description="Sinkhorn-Knopp iterations.")
    residual_mix: StrictBool = Field(
        True,
        description="False: the copies carry on unmixed, with only pre and post weights "
        "(Hunyuan's iHC).",
    )
    collapse: Literal["weighted", "mean"] = Field(
        "weighted",
        description="How the streams end before the final norm: weights computed as the "
        "mixing ones are, or their plain mean (Motif, no weights).",
    )

    CONCEPTS: ClassVar[tuple[Concept, ...]] = (HYPER_CONNECTIONS,)
    FIELD_NAMES: ClassVar[dict[str, str]] = {"sinkhorn_iters": "Sinkhorn iterations"}

    @model_validator(mode="after")
    def _consistent(self) -> HyperConnections:
        if self.streams < 2:
            raise ValueError("hyper-connections need at least 2 streams")
        if self.sinkhorn_iters is not None and self.constraint != "sinkhorn":
            raise ValueError("'sinkhorn_iters' needs constraint 'sinkhorn'")
        if self.constrained and not self.residual_mix:
            raise ValueError("the Sinkhorn constraint applies to a residual mix")
        return self

    # ------------------------------------------------------------------ figures

    def coefficients(self) -> int:
        """Mixing weights per token and sub-layer: n pre, n post and n × n residual."""
        n = self.streams
        return (n * n if self.residual_mix else 0) + 2 * n

    def params_per_sublayer(self, hidden: int) -> int:
        m = self.coefficients()
        if self.mixing == "static":
            return m
        # projection of the n·h flattened streams to the m weights, a bias per weight, and
        # one gain for each set (pre, post, residual)
        return self.streams * hidden * m + m + (3 if self.residual_mix else 2)

    def head_params(self, hidden: int) -> int:
        n = self.streams
        if self.collapse == "mean":
            return 0
        if self.mixing == "static":
            return n
        return n * hidden * n + n + 1  # collapse weights from the streams, their bias, a gain

    # ------------------------------------------------------------------ wording

    @property
    def constrained(self) -> bool:
        return self.constraint == "sinkhorn"

    def _short(self) -> str:
        return "mHC" if self.constrained else "hyper-connections" if self.residual_mix else "iHC"

    def label(self) -> str:
        return f"{self._short()}, {self.streams} streams ({self.mixing} mixing)"

    def phrase(self) -> str:
        kind = "manifold-constrained hyper-connections" if self.constrained else "hyper-connections"
        return f"{kind} ({self.streams} residual streams)"

    def expand_label(self) -> str:
        return Phrase(N_("Copy into %(count)s\nresidual streams"), count=self.streams)

    def collapse_label(self) -> str:
        how = N_("Learned collapse") if self.mixing == "dynamic" else N_("Weighted sum")
        how = N_("Mean") if self.collapse == "mean" else how
        return Phrase(N_("%(how)s of\n%(count)s streams"), how=Phrase(how), count=self.streams)

    def notes(self) -> list[str]:
        how = Phrase(N_("mixed") if self.residual_mix else N_("collapsed and spread"))
        text = N_("%(short)s: %(count)s residual streams, %(how)s around every sub-layer")
        lines: list[str] = [Phrase(text, short=self._short(), count=self.streams, how=how)]
        if self.constrained and self.sinkhorn_iters:
            text = N_("residual mix kept doubly stochastic (Sinkhorn, %(count)s iterations)")
            lines.append(Phrase(text, count=self.sinkhorn_iters))
        elif self.constrained:
            lines.append(N_("residual mix kept doubly stochastic (Sinkhorn)"))
        return lines

    # ------------------------------------------------------------------ concepts, drawing

    def concept(self) -> str:
        return HYPER_CONNECTIONS.key

    def concepts_used(self) -> set[str]:
        return {HYPER_CONNECTIONS.key}

    def panel(self) -> Sketch:
        n = self.streams
        title = (
            N_("Manifold-constrained hyper-connections")
            if self.constrained
            else N_("Hyper-connections")
        )
        s = Sketch("residual-hc", title, "block", HYPER_CONNECTIONS.key, name="hc")
        sets = N_("pre, post, residual") if self.residual_mix else N_("pre, post")
        dynamic = self.mixing == "dynamic"
        weights = Phrase(N_("RMSNorm + Linear\n→ %(sets)s"), sets=Phrase(sets)) if dynamic else ""
        source = "in"
        if weights:
            s.box("w", weights, "linear")
            s.chain("in", "w")
            source = "w"
        pre, post = (
            Phrase(N_("Pre: %(n)s streams → 1"), n=n),
            Phrase(N_("Post: 1 → %(n)s streams"), n=n),
        )
        s.box("pre", pre, "router")
        s.box("sub", "Attention or\nfeed-forward\n(with its norm)", "attn")
        s.box("post", post, "router")
        if self.constrained:
            s.box("sk", "Sinkhorn\n(doubly stochastic)", "norm")
            s.edge(source, "sk", "route")
        matrix = Phrase(N_("Residual mix\n%(n)s × %(n)s matrix"), n=n)
        s.box("res", matrix if self.residual_mix else N_("Copies\n(unmixed)"), "router")
        s.op("sum", "+")
        s.chain("in", "pre", "sub", "post", "sum", "out")
        s.chain("in", "res", "sum")
        if source != "in":
            s.edge(source, "pre", "route")
            s.edge(source, "post", "route")
        if self.constrained:
            s.edge("sk", "res", "route")
        elif source != "in" and self.residual_mix:
            s.edge(source, "res", "route")
        s.same_rank("pre", "res")
        s.notes += [
            Phrase(N_("the residual stream is %(n)s copies of the hidden vector"), n=n),
            N_("around every sub-layer: collapse, run, spread back, mix copies")
            if self.residual_mix
            else N_("around every sub-layer: collapse, run, spread back (copies unmixed)"),
        ]
        if dynamic:
            s.notes.append(N_("weights computed per token from the copies"))
        return s


def from_config(c: ConfigReader) -> ConfigSpec | None:
    """Hyper-connections from DeepSeek-V4-style keys (``hc_mult``, ``hc_sinkhorn_iters``)."""
    streams = c.int("hc_mult")
    if c.get("mhc_enabled"):  # Motif: its code averages the streams where the stack ends
        streams = c.int("mhc_expansion_rate")
        c.mark("mhc_enabled", "mhc_identity_init")  # the latter: how training started
    elif c.has("mhc_enabled"):
        c.mark("mhc_enabled", "mhc_expansion_rate", "mhc_sinkhorn_iters", "mhc_identity_init")
    if not streams or streams < 2:
        return None
    spec: ConfigSpec = {"kind": "hyper_connections", "streams": streams, "mixing": "dynamic"}
    if c.get("mhc_enabled"):
        spec["collapse"] = "mean"
    if c.get("enable_ihc"):  # Hy4's independent hyper-connections: no residual mix
        spec["residual_mix"] = False
        c.mark("enable_ihc", "hc_magnitude")  # the post weights' scale, not a weight
    iters = c.int("hc_sinkhorn_iters", "mhc_sinkhorn_iters")
    if iters:
        spec["constraint"] = "sinkhorn"
        spec["sinkhorn_iters"] = iters
    c.mark("hc_eps")  # a numerical guard of the Sinkhorn normalisation
    return spec
