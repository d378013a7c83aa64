extensions = ["myst_parser", "sphinx_llmarch"]
exclude_patterns = ["_build"]
llmarch_export = True
