"""The OKR core: files -> model -> cascade -> problems. Imports nothing from any site generator.

Data flows one way: `loading` reads an OKR folder (with `frontmatter` and `fields`) into
the `model`, `cascade` resolves parents and delegations, `validation` applies the rules of
the build gate, and `check` ties them together for every front end.
"""
