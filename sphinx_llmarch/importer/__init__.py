"""The importer: a Hugging Face config.json → a complete, valid model file.

The mechanisms map their own config keys (their ``from_config`` functions); this package
knows the model types (what each family's code does that its config does not state),
assembles the layers and writes the YAML.  Pure: no Sphinx, no docutils.
"""
