"""The site: pages, links, diagrams and `okrs.json` made from a checked cascade.

Imports nothing from any site generator, so the MkDocs plugin and `okrdocs` commands
render the same pages.
"""
