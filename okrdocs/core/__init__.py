"""The OKR core: files -> model -> cascade -> problems. Imports nothing from any site generator.

Data flows one way, one sub-package per concern: `reading` reads an OKR folder into the
`domain` model, the cascade resolves parents and delegations, `rules` applies the gate's
rules and ties it together for every front end; `history` reads check-ins from git and
says what is current or stale; `caches` keeps what need not be done twice.
"""
