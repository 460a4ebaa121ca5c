"""The MkDocs (and ProperDocs) adapter: the only part of okrdocs that imports mkdocs."""

try:
    # ProperDocs' documented way for a plugin to declare that it supports ProperDocs:
    # under the `mkdocs` command it then says once that ProperDocs carries MkDocs 1.x on
    # (DISABLE_MKDOCS_2_WARNING=true silences it); under `properdocs` it says nothing.
    import properdocs.replacement_warning  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # ProperDocs is not installed: nothing to declare
    pass
else:
    properdocs.replacement_warning.setup()  # type: ignore[no-untyped-call, unused-ignore]
