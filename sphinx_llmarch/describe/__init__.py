"""Wording: how a model is named and summarised, its facts, concepts and plain-data records.

Pure: no Sphinx, no docutils.  Everything here is computed from a loaded model and its
figures, and is plain text or picklable data.
"""
