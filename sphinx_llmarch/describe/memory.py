"""Memory in words: the table of a model's memory at the standard contexts.

The numbers come from :func:`..model.memory.memory`; this module only chooses the
settings a table shows (one sequence, bf16 weights and cache, the state at the precision
the model declares) and formats them.  Pages show it where no script runs; the calculator
in the browser starts from the same settings.
"""

from __future__ import annotations

from ..mechanisms.words import ENGLISH, N_, Language
from ..model.memory import Coefficients, memory, standard_contexts
from . import fmt

#: the setting of every table: the precision models are usually released in
TABLE_PRECISION = "bf16"


def context_label(n: int) -> str:
    """``131072`` → ``'128k'``; ``1048576`` → ``'1M'``; other counts spelled out."""
    if n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)}M"
    if n % 1024 == 0:
        return f"{n // 1024}k"
    return fmt.count(n)


def sequence_bytes(c: Coefficients, context: int) -> int:
    """KV cache and fixed state of one sequence at the table's precision."""
    m = memory(c, context=context, kv=TABLE_PRECISION)
    return m.kv_cache_bytes + m.state_bytes


def memory_table(c: Coefficients, words: Language = ENGLISH) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of one model at its standard contexts: cache, state and total."""
    header = [words(N_("Context")), words(N_("KV cache")), words(N_("Total with weights"))]
    if c.state:
        header.insert(2, words(N_("Fixed state")))
    rows = []
    for n in standard_contexts(c.maximum):
        m = memory(c, context=n, weights=TABLE_PRECISION, kv=TABLE_PRECISION)
        context = words(
            N_("%(short)s (%(count)s tokens)"), short=context_label(n), count=fmt.tokens(n)
        )
        row = [context, fmt.bytes_iec(m.kv_cache_bytes)]
        if c.state:
            row.append(fmt.bytes_iec(m.state_bytes))
        rows.append([*row, fmt.bytes_iec(m.total_bytes)])
    return header, rows


def table_caption(c: Coefficients, words: Language = ENGLISH) -> str:
    weights = fmt.bytes_iec(memory(c, context=1, weights=TABLE_PRECISION).weights_bytes)
    values = {"precision": TABLE_PRECISION, "weights": weights, "state": c.state_precision}
    if not c.state:
        message = N_(
            "One sequence, weights and KV cache in %(precision)s; "
            "the weights alone take %(weights)s."
        )
    elif c.state_precision:
        message = N_(
            "One sequence, weights and KV cache in %(precision)s, the fixed state in "
            "%(state)s as its config declares; the weights alone take %(weights)s."
        )
    else:
        message = N_(
            "One sequence, weights and KV cache in %(precision)s, the fixed state too; "
            "the weights alone take %(weights)s."
        )
    return words(message, **values)
