"""The options users set under `plugins: - okrdocs:` in mkdocs.yml, as a MkDocs config.

Made from `site.options.Options`, their one home: each option is checked by the same
rule as `okrdocs check` uses, MkDocs reports unknown ones, and the plugin turns the
result back into `Options`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from mkdocs.config.base import BaseConfigOption, Config, ConfigErrors, ConfigWarnings, ValidationError

from ..site.options import OPTION_NAMES, Options, read_options, value_mistake


class OptionsConfig(Config):
    """A MkDocs config whose options are `Options`' fields (see `OkrdocsConfig`)."""

    def options(self) -> Options:
        return Options(**{name: self[name] for name in OPTION_NAMES})

    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        """Each option on its own (MkDocs), then the rules `read_options` adds (a key
        result range that is no range), the same as `okrdocs check` applies."""
        failed, warnings = super().validate()
        if not failed:
            for name, message in read_options({name: self[name] for name in OPTION_NAMES})[1]:
                failed.append((name, ValidationError(message)))
        return failed, warnings


class _Option(BaseConfigOption[Any]):
    """One option, checked by `site.options` so the build words a mistake as the check does."""

    def __init__(self, name: str, default: Any) -> None:
        super().__init__()
        self.name = name
        self.default = default

    def run_validation(self, value: object) -> Any:
        mistake = value_mistake(self.name, value)
        if mistake is not None:
            raise ValidationError(mistake)
        return value


def _default(field: dataclasses.Field[Any]) -> Any:
    """An option's default, also one made by a factory (`rules`, a mapping)."""
    if field.default is dataclasses.MISSING and field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


OkrdocsConfig: type[OptionsConfig] = type(
    "OkrdocsConfig",
    (OptionsConfig,),
    {field.name: _Option(field.name, _default(field)) for field in dataclasses.fields(Options)},
)
