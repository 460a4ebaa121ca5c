"""The site's config as MkDocs reads it, for the build and for the commands.

`site_config` takes what okrdocs needs from the config MkDocs validated for a build.
`read_site_config` reads mkdocs.yml for the commands (`okrdocs check`, `generate`,
`report`, `diff`) by MkDocs' own rules, so they see the site the build sees: MkDocs'
loader resolves `INHERIT:`, `!ENV` and `!relative`, and MkDocs' own options validate
docs_dir, use_directory_urls, repo_url, edit_uri and site_url (an empty
`use_directory_urls:` is true; edit_uri is guessed from a GitHub or GitLab repo_url).

Only those options are validated: the theme and the other plugins need not be installed
where the commands run (a pre-commit hook installs okrdocs alone), and tags that would
import Python (`!!python/name:` in markdown_extensions) are read as null. For the same
reason docs_dir need not exist: `okrdocs check` needs no docs folder.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from ..site.settings import (
    LenientLoader,
    SettingsError,
    SiteConfig,
    refused_value,
    site_config_of,
    theme_language,
    unreadable,
)

_READ = ("docs_dir", "use_directory_urls", "repo_url", "edit_uri", "site_url")
"""The options of MkDocsConfig okrdocs reads (edit_uri after repo_url, which it depends on)."""


def site_config(config: MkDocsConfig) -> SiteConfig:
    """What okrdocs needs from the config of a MkDocs build."""
    return SiteConfig(
        Path(config.config_file_path or "mkdocs.yml"),
        Path(config.docs_dir),
        config.use_directory_urls,
        config.repo_url,
        config.edit_uri,
        config.site_url,
        tuple(config.theme.dirs),
        language=theme_language(config.theme),
    )


def _site_options() -> type[Config]:
    """A config class with MkDocs' own options for `_READ`, copied (so validating them
    never touches MkDocsConfig's), docs_dir without its test that the folder exists."""
    schema = dict(MkDocsConfig._schema)
    options = {name: copy.deepcopy(schema[name]) for name in _READ}
    options["docs_dir"].exists = False  # type: ignore[attr-defined]
    return type("SiteOptions", (Config,), options)


_SiteOptions = _site_options()


def read_site_config(config_file: str) -> SiteConfig:
    """mkdocs.yml (or properdocs.yml) read by MkDocs' rules; raises `SettingsError`."""
    config: Any = _SiteOptions(config_file_path=os.path.abspath(config_file))
    try:
        with open(config_file, "rb") as file:
            raw = yaml_load(file, get_yaml_loader(LenientLoader, config=config))
    except ConfigurationError as error:
        if isinstance(error.__context__, yaml.YAMLError):  # worded as the lenient reader words it
            raise unreadable(config_file, error.__context__) from None
        raise SettingsError(f"{config_file}: {error}") from None  # MkDocs' words: a missing INHERIT file
    except Exception as error:
        raise unreadable(config_file, error) from None
    if not isinstance(raw, Mapping):
        raise SettingsError(f"{config_file}: the config must be a mapping of 'name: value'")
    values, warnings = _validated(config, raw, config_file)
    values["template_dirs"] = _custom_dir(raw.get("theme"), config_file)
    values["language"] = theme_language(raw.get("theme"))
    return site_config_of(config_file, raw, values, warnings)


def _validated(config: Any, raw: Mapping[str, Any], config_file: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The options of `_READ` validated by MkDocs; one it refuses is its default, with a
    warning (the build will fail on it; the check of the OKR folder need not)."""
    refused: dict[str, str] = {}
    while True:  # MkDocs stops at the first option it refuses: once more without it
        config.load_dict({name: None if name in refused else raw.get(name) for name in _READ})
        failed, _ = config.validate()
        if not failed:
            break
        if all(name in refused for name, _ in failed):  # its default refused too: MkDocs' own words
            raise SettingsError("; ".join(f"{config_file}: {name}: {error}" for name, error in failed))
        refused.update((name, str(error)) for name, error in failed)
    warnings = tuple(refused_value(config_file, name, why) for name, why in refused.items())
    return {name: config[name] for name in _READ}, warnings


def _custom_dir(theme: object, config_file: str) -> tuple[str, ...]:
    """The theme's custom_dir, from the folder of the config file as MkDocs takes it.

    The theme's own folders are left out: the theme need not be installed here. The
    build searches them after custom_dir, for templates okrdocs ships itself."""
    custom_dir = theme.get("custom_dir") if isinstance(theme, Mapping) else None
    if not isinstance(custom_dir, (str, os.PathLike)):
        return ()
    return (os.path.join(os.path.dirname(os.path.abspath(config_file)), os.fspath(custom_dir)),)
