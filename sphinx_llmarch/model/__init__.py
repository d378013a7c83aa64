"""The model: YAML → a validated model file → its layer stack → computed figures.

Pure: no Sphinx, no docutils.  What each mixer, feed-forward kind and position scheme
contributes comes from :mod:`..mechanisms`.
"""
