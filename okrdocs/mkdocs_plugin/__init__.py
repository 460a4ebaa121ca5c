"""The MkDocs (and ProperDocs) adapter: the only part of okrdocs that imports mkdocs."""
