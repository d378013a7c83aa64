extensions = ["sphinx_llmarch"]
exclude_patterns = ["_build", "data"]
llmarch_models_dir = "data"
