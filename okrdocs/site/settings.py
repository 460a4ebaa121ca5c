"""The settings of one site build, whoever runs it: the plugin, `okrdocs generate`, `check`,
`report` or `diff`.

Two steps, so every front end shares the second. A front end first reads the site's
config into a `SiteConfig`: the MkDocs plugin from the config MkDocs validated, the
commands from mkdocs.yml through MkDocs' own loader when MkDocs can be imported
(`mkdocs_plugin.site_config`), else through a lenient reader of their own
(`cli.settings`). Then `site_settings` (or `folder_settings` for `--okrs DIR`) turns it
and the plugin's options into `SiteSettings`: the OKR folder, the git checkout, the cache
folder and the warnings, by one rule.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.caches.cache_files import okrdocs_cache_folder
from ..core.history.git import Checkout, find_checkout
from ..core.reading.fields import did_you_mean
from ..core.rules.validation import KrRange
from .layout import Layout
from .options import DEFAULT_CACHE_DIR, OPTION_NAMES, Options, describe, read_options

PLUGIN_NAME = "okrdocs"


class SettingsError(Exception):
    """The site's config cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class SiteConfig:
    """What okrdocs takes from the site's config (mkdocs.yml), as the site generator reads it."""

    config_file: Path
    docs_dir: Path
    """As the site generator resolves it: from the folder of the config file."""
    use_directory_urls: bool = True
    repo_url: str | None = None
    edit_uri: str | None = None
    """The site's own edit_uri, with MkDocs' guess for GitHub, GitLab and Bitbucket when
    it was read by MkDocs' rules and left out."""
    site_url: str | None = None
    template_dirs: tuple[str, ...] = ()
    """The theme's folders, `custom_dir` first: `custom_dir/okrdocs/*.html` overrides a template."""
    plugin: Mapping[str, Any] | None = field(default=None, compare=False)
    """The okrdocs options as written under `plugins:` ({} when listed bare); None when not listed."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """A value the site generator would refuse, and that okrdocs read as the default instead."""
    language: str | None = None
    """The theme's `language` (Material) or `locale` (MkDocs' own themes): the language of
    okrdocs' words on the pages (`site.i18n`); None: English."""

    @property
    def config_dir(self) -> Path:
        return self.config_file.parent


@dataclass(frozen=True)
class SiteSettings:
    """Everything a build, a check or a report needs to know besides the OKR files."""

    okrs_dir: str
    """The OKR folder as messages show it (from the current folder, or from mkdocs.yml
    under the plugin), and a path to it from the current folder for the commands."""
    options: Options = Options()
    """Every option of the plugin, as the site's config sets it."""
    folder: Path | None = None
    """The OKR folder itself (None: `okrs_dir`)."""
    cache_dir: Path | None = None
    """Where caches are kept: the plugin's cache_dir next to mkdocs.yml, or `.cache/okrdocs`
    next to a folder given with --okrs; None where they must not be (`cache_files.cache_folder`)."""
    checkout: Checkout = Checkout(None)
    """The git repository of the folder of mkdocs.yml, or of the current folder with --okrs:
    the only one okrdocs runs git on (`core.history.git`)."""
    warnings: tuple[str, ...] = ()
    """What to tell the user about the settings (an unknown option, an unusable cache folder)."""
    site: SiteConfig | None = None
    """The site's config; None for a bare OKR folder without one."""

    @property
    def okrs_folder(self) -> Path:
        return self.folder if self.folder is not None else Path(self.okrs_dir)

    @property
    def kr_range(self) -> KrRange:
        return self.options.kr_range

    @property
    def layout(self) -> Layout:
        """Where the build puts the pages, to report the same page collisions as the build."""
        return self.options.layout

    @property
    def use_directory_urls(self) -> bool:
        return self.site.use_directory_urls if self.site else True

    @property
    def site_url(self) -> str | None:
        """Where the site is published (None: not given)."""
        return self.site.site_url if self.site else None


def site_settings(
    site: SiteConfig, options: Options, warnings: tuple[str, ...] = (), *, plugin: bool = False
) -> SiteSettings:
    """The settings of a site whose config lists the plugin with `options`.

    `plugin`: shown paths go from the folder of the config file, as the plugin logs
    them; otherwise from the current folder, as the commands print them."""
    here = site.config_dir
    warnings = site.warnings + warnings
    folder = here / options.okrs_dir
    checkout = find_checkout(here)
    cache_dir, warning = okrdocs_cache_folder(here / options.cache_dir, folder, site.docs_dir, checkout=checkout)
    if warning:
        warnings += (warning if plugin else f"{site.config_file}: {warning}",)
    shown = options.okrs_dir
    if not plugin and here.as_posix() not in ("", ".") and not Path(shown).is_absolute():
        shown = f"{here.as_posix()}/{shown}"
    return SiteSettings(shown, options, folder, cache_dir, checkout, warnings, site)


def folder_settings(okrs_dir: str, site: SiteConfig | None = None) -> SiteSettings:
    """A bare OKR folder (`--okrs DIR`): default options, the cache next to the folder;
    `site` only says where a generator puts and links the pages (`okrdocs generate`)."""
    folder = Path(okrs_dir)
    checkout = find_checkout(Path.cwd())
    keep_out = (site.docs_dir,) if site else ()
    cache_dir, warning = okrdocs_cache_folder(
        folder.absolute().parent / DEFAULT_CACHE_DIR, folder, *keep_out, checkout=checkout
    )
    return SiteSettings(okrs_dir, Options(), folder, cache_dir, checkout, (warning,) if warning else (), site)


def settings_of_config(site: SiteConfig) -> SiteSettings:
    """The settings of a site read by a command: the plugin's options checked by the
    plugin's rules; raises `SettingsError` when the config does not list the plugin or an
    option is wrong."""
    name = site.config_file.as_posix()
    raw = site.plugin
    if raw is None:
        raise SettingsError(
            f"{name} does not list the '{PLUGIN_NAME}' plugin under 'plugins:'; "
            "add it, or pass the OKR folder with --okrs DIR"
        )
    if not isinstance(raw, Mapping):
        raise SettingsError(f"{name}: the options of the '{PLUGIN_NAME}' plugin must be a mapping of 'name: value'")
    raw = {key: value for key, value in raw.items() if value is not None}  # `name:` alone: the default
    options, mistakes = read_options(raw)
    if mistakes:
        raise SettingsError("; ".join(f"{name}: {message}" for _, message in mistakes))
    warnings = tuple(
        f"{name}: the '{PLUGIN_NAME}' plugin has no option '{key}'{did_you_mean(str(key), OPTION_NAMES)}"
        for key in raw
        if key not in OPTION_NAMES
    )
    return site_settings(site, options, warnings)


def plugin_options(config: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The okrdocs options of a parsed config, {} when listed bare, None when absent.

    Raises SettingsError when `plugins` is neither a list nor a mapping.
    """
    plugins = config.get("plugins") or []
    if isinstance(plugins, Mapping):
        plugins = [{name: options} for name, options in plugins.items()]
    if not isinstance(plugins, list):
        raise SettingsError(
            f"'plugins' must be a list of plugins ('- {PLUGIN_NAME}') or a mapping of them, not {describe(plugins)}"
        )
    for entry in plugins:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, Mapping) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] or {}
    return None


def relative_posix(path: Path, start: Path) -> str:
    """`path` from `start`, with `/`, symbolic links resolved: the form edit links take."""
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


# -- the lenient reader: mkdocs.yml without MkDocs ---------------------------------


class LenientLoader(yaml.SafeLoader):
    """mkdocs.yml's YAML without running anything: `!ENV` resolved as MkDocs does, other
    tags (`!!python/name:`, `!relative`) read as null. MkDocs' reader
    (`mkdocs_plugin.site_config`) builds on it, adding MkDocs' own `!ENV` and `!relative`."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`, resolved as MkDocs does."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode) and node.value:
        items = node.value
        names = [loader.construct_scalar(item) for item in (items[:-1] if len(items) > 1 else items)]
        default = loader.construct_object(items[-1]) if len(items) > 1 else None
    else:
        return None
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


LenientLoader.add_constructor("!ENV", _env_tag)
LenientLoader.add_multi_constructor("!", _ignore_tag)
LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def unreadable(config_file: str, error: BaseException) -> SettingsError:
    """The error for a config file that cannot be read or parsed, saying what to do."""
    if isinstance(error, OSError):
        return SettingsError(
            f"cannot read {config_file}: {error.strerror or error}; run in the folder of mkdocs.yml, "
            "or pass -f FILE or --okrs DIR"
        )
    if isinstance(error, RecursionError):
        return SettingsError(f"{config_file} is not valid YAML: it is nested too deeply")
    if isinstance(error, yaml.YAMLError):
        return SettingsError(f"{config_file} is not valid YAML: {' '.join(str(error).split())}")
    # PyYAML's constructors raise KeyError, IndexError...: never a traceback
    return SettingsError(
        f"{config_file} is not valid YAML: a tagged value cannot be read ({type(error).__name__}: {error})"
    )


def read_config_leniently(config_file: str) -> SiteConfig:
    """The site's config read without MkDocs (a Zensical-only install): plain YAML, no
    `INHERIT:`, `!relative` as null, values checked by type only, edit_uri as written
    (MkDocs' guess for a GitHub repo_url is MkDocs' own). Raises `SettingsError`."""
    path = Path(config_file)
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=LenientLoader) or {}
    except Exception as error:
        raise unreadable(config_file, error) from None
    if not isinstance(config, dict):
        raise SettingsError(f"{config_file}: the config must be a mapping of 'name: value'")
    values, warnings = lenient_values(config_file, config)
    return site_config_of(config_file, config, values, warnings)


def lenient_values(config_file: str, config: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """docs_dir, use_directory_urls, repo_url, edit_uri and site_url with MkDocs' defaults
    (one of the wrong type is the default, with a warning); the theme's custom_dir from
    the config's folder."""
    here = Path(config_file).parent
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for name, kind, default in _SITE_OPTIONS:
        value = config.get(name)
        if value is not None and not isinstance(value, kind):
            warnings.append(refused_value(config_file, name, f"it must be {_KIND_NAMES[kind]}, not {describe(value)}"))
            value = None
        values[name] = default if value is None else value
    values["docs_dir"] = here / values["docs_dir"]
    theme = config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, Mapping) else None
    values["template_dirs"] = (str(here / custom_dir),) if isinstance(custom_dir, str) else ()
    values["language"] = theme_language(theme)
    return values, tuple(warnings)


def theme_language(theme: object) -> str | None:
    """The theme's `language` (Material) or `locale` (MkDocs' own themes), as text; None
    when it sets neither."""
    if not isinstance(theme, Mapping):
        return None
    for name in ("language", "locale"):
        value = theme.get(name)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def refused_value(config_file: str, name: str, why: str) -> str:
    """The warning for a site option the site generator would refuse."""
    return f"{config_file}: {name}: {why}; okrdocs uses the default, and the site generator will refuse it"


_SITE_OPTIONS: tuple[tuple[str, type, Any], ...] = (
    ("docs_dir", str, "docs"),
    ("use_directory_urls", bool, True),
    ("repo_url", str, None),
    ("edit_uri", str, None),
    ("site_url", str, None),
)
_KIND_NAMES = {str: "text", bool: "true or false"}


def site_config_of(
    config_file: str, config: Mapping[str, Any], values: Mapping[str, Any], warnings: tuple[str, ...] = ()
) -> SiteConfig:
    """A `SiteConfig` from the parsed config (for the plugin's options) and the site
    options as a reader made them; raises `SettingsError` on a wrong `plugins:`."""
    try:
        plugin = plugin_options(config)
    except SettingsError as error:
        raise SettingsError(f"{config_file}: {error}") from None
    return SiteConfig(
        Path(config_file),
        Path(values["docs_dir"]),
        bool(values["use_directory_urls"]),
        values["repo_url"],
        values["edit_uri"],
        values["site_url"],
        tuple(values["template_dirs"]),
        plugin,
        warnings,
        values.get("language"),
    )
