extensions = ["myst_parser", "sphinx_llmarch"]
exclude_patterns = ["_build"]
