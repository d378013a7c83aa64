"""N-gram embeddings: extra embedding tables looked up by hashes of the preceding tokens.

Beside the token embedding, the model hashes each token together with the one, two, …
tokens before it (bigrams up to ``neighbours``-grams) into several large tables per
order (``splits`` of them, with different sizes so that collisions differ). Each table
returns a narrow vector; a projection per table widens it to the model width, and the
projections are averaged with the token embedding before the first layer. The tables
hold many parameters, but a token reads one row of each: per token they cost a few
lookups, not a matrix product, which is why the active count takes only the rows read.

LongCat-Flash-Lite sizes every table from the vocabulary: table ``i`` (of
``splits · (neighbours - 1)``) has ``ratio · vocab + 2i + 1`` rows, and the tables split
the model width evenly.
"""

from __future__ import annotations

from pydantic import Field

from .base import Concept, ConfigReader, ConfigSpec, PosInt, Spec
from .words import N_, Phrase

NGRAM_EMBEDDINGS = Concept("ngram-embeddings", "N-gram embeddings", 305)


class NgramEmbeddings(Spec):
    """Hashed n-gram embedding tables added to the token embedding (LongCat-Flash-Lite)."""

    neighbours: PosInt = Field(
        gt=1, description="Longest n-gram hashed, the token itself included (emb_neighbor_num)."
    )
    splits: PosInt = Field(description="Tables per n-gram order (emb_split_num).")
    ratio: PosInt = Field(
        description="Rows of each table, in multiples of the vocabulary (ngram_vocab_size_ratio)."
    )

    @property
    def tables(self) -> int:
        """One table per order (bigram to ``neighbours``-gram) and split."""
        return self.splits * (self.neighbours - 1)

    def width(self, hidden: int) -> int:
        """Width of each table's vectors: the model width shared among the tables."""
        return hidden // self.tables

    def rows(self, vocab: int) -> int:
        """Rows of all tables together: ``ratio · vocab + 2i + 1`` for table ``i``."""
        base = self.ratio * vocab
        return sum(base + 2 * i + 1 for i in range(self.tables))

    def projection_params(self, hidden: int) -> int:
        """The projections from each table's width to the model width, without bias."""
        return self.tables * self.width(hidden) * hidden

    def params(self, vocab: int, hidden: int) -> int:
        """Every table and projection."""
        return self.rows(vocab) * self.width(hidden) + self.projection_params(hidden)

    def active_params(self, hidden: int) -> int:
        """What one token uses: one row of each table, and every projection."""
        return self.tables * self.width(hidden) + self.projection_params(hidden)

    def label(self) -> str:
        """The box beside the token embedding."""
        return Phrase(N_("N-gram embeddings\n(%(count)s hashed tables)"), count=self.tables)

    def phrase(self, vocab: int, hidden: int) -> str:
        """'12 hashed tables of 2- to 4-grams (31.4B parameters)'."""
        return (
            f"{self.tables} hashed tables of 2- to {self.neighbours}-grams "
            f"({self.params(vocab, hidden) / 1e9:.1f}B parameters)"
        )


def from_config(c: ConfigReader) -> ConfigSpec | None:
    """LongCat's ``emb_neighbor_num``, ``emb_split_num`` and ``ngram_vocab_size_ratio``."""
    ratio = c.int("ngram_vocab_size_ratio")
    if not ratio:
        c.mark("emb_neighbor_num", "emb_split_num", "ngram_vocab_size_ratio")
        return None
    return {
        "neighbours": c.int("emb_neighbor_num"),
        "splits": c.int("emb_split_num"),
        "ratio": ratio,
    }
