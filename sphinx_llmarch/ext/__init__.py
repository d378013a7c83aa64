"""The Sphinx integration: configuration, the domain and its roles, directives, nodes, model
pages, pages built from every model, and the export.

The only package that imports Sphinx and docutils.
"""
