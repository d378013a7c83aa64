"""sphinx-llmarch: LLM architecture diagrams and fact tables from YAML, for Sphinx."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.2.0"

#: bump when the shape of the data stored in the build environment changes (pickled doctrees
#: name node classes by their module path, so moving them counts)
ENV_VERSION = 3

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the extension (imports stay lazy: ``import sphinx_llmarch`` is cheap)."""
    from .ext.extension import setup_extension

    setup_extension(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
