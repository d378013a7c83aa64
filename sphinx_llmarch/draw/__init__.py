"""Drawing: DOT for the diagrams and their side panels, Graphviz, composition into SVG, themes
and charts.

Pure: no Sphinx, no docutils.
"""
