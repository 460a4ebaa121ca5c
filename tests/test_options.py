"""The plugin's options have one home (`site.options.Options`): the MkDocs config, the
commands and `okrdocs generate` accept the same options with the same defaults."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from okrdocs.cli.settings import read_mkdocs_settings
from okrdocs.mkdocs_plugin.config import OkrdocsConfig
from okrdocs.site.options import Options, read_options
from sitebuild import DEMO_OKRS, run_mkdocs, write_site


def test_the_mkdocs_config_has_every_option_with_its_default() -> None:
    config = OkrdocsConfig()
    config.load_dict({})
    failed, warnings = config.validate()
    assert (failed, warnings) == ([], [])
    assert config.options() == Options()
    assert [name for name, _ in OkrdocsConfig._schema] == [field.name for field in dataclasses.fields(Options)]


def test_the_commands_read_every_option_as_the_plugin_does(tmp_path: Path) -> None:
    written = {"diagram_max_key_results": 3, "dot_timeout": 30, "vision_url": "north-star", "edit_uri": None}
    config_file = write_site(tmp_path, okrs=DEMO_OKRS, plugin=written)
    options = read_mkdocs_settings(str(config_file)).options
    assert options == dataclasses.replace(Options(), diagram_max_key_results=3, dot_timeout=30, vision_url="north-star")
    assert options.diagram_settings.max_key_results == 3
    assert options.layout.vision_url == "north-star"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ({"diagram_depth": "deep"}, "diagram_depth must be a whole number, not text"),
        ({"diagrams": "yes"}, "diagrams must be true or false, not text"),
        ({"min_key_results": 4, "max_key_results": 2}, "min_key_results (4) is greater than max_key_results (2)"),
    ],
)
def test_a_wrong_option_is_refused_by_the_check_and_the_build_alike(
    tmp_path: Path, written: dict[str, object], message: str
) -> None:
    assert any(message in mistake for _, mistake in read_options(written)[1])
    build = run_mkdocs(write_site(tmp_path, plugin=written))
    assert build.returncode == 1 and message in build.stderr
