"""The site's settings as the commands read them: the same as the build's.

`okrdocs check` must agree with the build, so mkdocs.yml is read by MkDocs' own rules
(`mkdocs_plugin.site_config`: `INHERIT:`, `!ENV`, `!relative`, MkDocs' defaults) whenever
MkDocs can be imported, which it can wherever okrdocs is installed with its dependencies.
Where it cannot (a Zensical-only install), the lenient reader of `site.settings` reads
the same options from plain YAML, without `INHERIT:`.
"""

from __future__ import annotations

from pathlib import Path

from ..site.settings import (
    PLUGIN_NAME,
    SettingsError,
    SiteConfig,
    SiteSettings,
    folder_settings,
    read_config_leniently,
    settings_of_config,
)

__all__ = [
    "PLUGIN_NAME",
    "CheckSettings",
    "SettingsError",
    "default_config_file",
    "read_mkdocs_settings",
    "read_site_config",
    "read_settings",
]

CheckSettings = SiteSettings
"""The name the commands knew the settings by."""

CONFIG_FILES = ("properdocs.yml", "mkdocs.yml")


def default_config_file() -> str:
    """The config in the current folder: ProperDocs' `properdocs.yml` first, as ProperDocs
    itself looks, then `mkdocs.yml` (also the name shown when neither exists)."""
    return next((name for name in CONFIG_FILES if Path(name).is_file()), CONFIG_FILES[-1])


def read_site_config(config_file: str) -> SiteConfig:
    """The site's config, by MkDocs' rules when MkDocs can be imported; raises `SettingsError`."""
    try:
        from ..mkdocs_plugin.site_config import read_site_config as read_with_mkdocs
    except ImportError:  # no MkDocs here (Zensical alone): the lenient reader
        return read_config_leniently(config_file)
    return read_with_mkdocs(config_file)


def read_mkdocs_settings(config_file: str) -> SiteSettings:
    """The settings of the site whose config is `config_file`, which lists the plugin."""
    return settings_of_config(read_site_config(config_file))


def read_settings(okrs: str | None, config_file: str | None, *, site_for_folder: bool = False) -> SiteSettings:
    """The settings a command runs with: the OKR folder `okrs` (`--okrs DIR`) with the
    default options, else the plugin's settings in `config_file` (default: the one in the
    current folder). `site_for_folder`: with `okrs`, still read the site's config when
    there is one (`generate` needs its docs_dir and URLs); it need not list the plugin."""
    if okrs is None:
        return read_mkdocs_settings(config_file or default_config_file())
    site = None
    if site_for_folder:
        name = config_file or default_config_file()
        if config_file is not None or Path(name).is_file():
            site = read_site_config(name)
    return folder_settings(okrs, site)
