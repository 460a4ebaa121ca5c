"""The plugin's settings as the command line reads them from mkdocs.yml, without MkDocs.

`okrdocs check` must agree with the build, so it reads the same `plugins: - okrdocs:`
options; it parses mkdocs.yml leniently (resolving `!ENV` as MkDocs does, ignoring
`!!python/name:` and other tags) so it needs neither MkDocs nor the site's other plugins
to be importable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.caches.cache_files import okrdocs_cache_folder
from ..core.history.git import Checkout, find_checkout
from ..core.reading.fields import did_you_mean
from ..core.rules.validation import KrRange
from ..site.layout import Layout
from ..site.options import DEFAULT_CACHE_DIR, OPTION_NAMES, Options, describe, read_options

PLUGIN_NAME = "okrdocs"


class SettingsError(Exception):
    """mkdocs.yml cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class CheckSettings:
    okrs_dir: str
    """The OKR folder as it should be shown in messages (relative to the current folder)."""
    kr_range: KrRange
    cache_dir: Path | None = None
    """Where caches are kept: the plugin's cache_dir next to mkdocs.yml, or `.cache/okrdocs`
    next to a folder given with --okrs; None where they must not be (`cache_files.cache_folder`)."""
    layout: Layout = Layout()
    """Where the build puts the pages, to report the same page collisions as the build."""
    use_directory_urls: bool = True
    warnings: tuple[str, ...] = ()
    """What MkDocs would warn about in the plugin's options (an unknown option)."""
    options: Options = Options()
    """Every option of the plugin, as mkdocs.yml sets it."""
    checkout: Checkout = Checkout(None)
    """The git repository of the folder of mkdocs.yml, or of the current folder with --okrs:
    the only one okrdocs runs git on (`core.git`)."""
    site_url: str | None = None
    """mkdocs.yml's `site_url`, where the site is published (None: not given)."""

    @classmethod
    def of_folder(cls, okrs_dir: str) -> CheckSettings:
        """A bare OKR folder (`--okrs DIR`): default settings, the cache next to the folder."""
        folder = Path(okrs_dir)
        checkout = find_checkout(Path.cwd())
        cache_dir, warning = okrdocs_cache_folder(
            folder.absolute().parent / DEFAULT_CACHE_DIR, folder, checkout=checkout
        )
        return cls(okrs_dir, KrRange(), cache_dir, warnings=(warning,) if warning else (), checkout=checkout)


class _LenientLoader(yaml.SafeLoader):
    pass


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


_LenientLoader.add_constructor("!ENV", _env_tag)
_LenientLoader.add_multi_constructor("!", _ignore_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def plugin_options(config: dict[str, Any]) -> dict[str, Any] | None:
    """The okrdocs options of a parsed mkdocs.yml, {} when listed bare, None when absent.

    Raises SettingsError when `plugins` is neither a list nor a mapping.
    """
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    if not isinstance(plugins, list):
        raise SettingsError(
            f"'plugins' must be a list of plugins ('- {PLUGIN_NAME}') or a mapping of them, not {describe(plugins)}"
        )
    for entry in plugins:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] or {}
    return None


CONFIG_FILES = ("properdocs.yml", "mkdocs.yml")


def default_config_file() -> str:
    """The config in the current folder: ProperDocs' `properdocs.yml` first, as ProperDocs
    itself looks, then `mkdocs.yml` (also the name shown when neither exists)."""
    return next((name for name in CONFIG_FILES if Path(name).is_file()), CONFIG_FILES[-1])


def read_site_config(config_file: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The whole parsed config and the okrdocs plugin's options (`name:` alone dropped, so
    its default applies); raises `SettingsError` saying what to fix."""
    path = Path(config_file)
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except OSError as error:
        raise SettingsError(
            f"cannot read {config_file}: {error.strerror or error}; run in the folder of mkdocs.yml, "
            "or pass -f FILE or --okrs DIR"
        ) from None
    except RecursionError:
        raise SettingsError(f"{config_file} is not valid YAML: it is nested too deeply") from None
    except yaml.YAMLError as error:
        raise SettingsError(f"{config_file} is not valid YAML: {' '.join(str(error).split())}") from None
    except Exception as error:  # PyYAML's constructors raise KeyError, IndexError...: never a traceback
        raise SettingsError(
            f"{config_file} is not valid YAML: a tagged value cannot be read ({type(error).__name__}: {error})"
        ) from None
    try:
        options = plugin_options(config) if isinstance(config, dict) else None
    except SettingsError as error:
        raise SettingsError(f"{config_file}: {error}") from None
    if options is None:
        raise SettingsError(
            f"{config_file} does not list the '{PLUGIN_NAME}' plugin under 'plugins:'; "
            "add it, or pass the OKR folder with --okrs DIR"
        )
    if not isinstance(options, dict):
        raise SettingsError(
            f"{config_file}: the options of the '{PLUGIN_NAME}' plugin must be a mapping of 'name: value'"
        )
    return config, {name: value for name, value in options.items() if value is not None}


def read_mkdocs_settings(config_file: str) -> CheckSettings:
    path = Path(config_file)
    config, raw = read_site_config(config_file)
    options, mistakes = read_options(raw)
    if mistakes:
        raise SettingsError("; ".join(f"{config_file}: {message}" for _, message in mistakes))
    docs_dir = config.get("docs_dir", "docs")
    if not isinstance(docs_dir, str):
        raise SettingsError(f"{config_file}: docs_dir must be a folder, like 'docs', not {describe(docs_dir)}")
    folder = path.parent.as_posix()
    okrs_dir = options.okrs_dir
    shown = okrs_dir if folder in ("", ".") or Path(okrs_dir).is_absolute() else f"{folder}/{okrs_dir}"
    use_directory_urls = config.get("use_directory_urls", True) is not False
    warnings = tuple(
        f"{config_file}: the '{PLUGIN_NAME}' plugin has no option '{name}'{did_you_mean(str(name), OPTION_NAMES)}"
        for name in raw
        if name not in OPTION_NAMES
    )
    here = path.parent
    checkout = find_checkout(here)
    cache_dir, warning = okrdocs_cache_folder(
        here / options.cache_dir, here / okrs_dir, here / docs_dir, checkout=checkout
    )
    warnings += (f"{config_file}: {warning}",) if warning else ()
    site_url = config.get("site_url")
    return CheckSettings(
        shown,
        options.kr_range,
        cache_dir,
        options.layout,
        use_directory_urls,
        warnings,
        options,
        checkout,
        site_url if isinstance(site_url, str) else None,
    )
