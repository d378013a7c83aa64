"""``python -m sphinx_llmarch`` runs the ``llmarch`` command line."""

import sys

from .cli import main

sys.exit(main())
