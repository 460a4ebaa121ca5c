"""The options users set under `plugins: - okrdocs:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings, ValidationError

from ..core.loading import DEFAULT_OKRS_DIR
from ..core.validation import KrRange, kr_range_mistake


class OkrdocsConfig(Config):
    enabled = c.Type(bool, default=True)
    """Set to false to build the site without OKR pages (e.g. a quick preview)."""

    okrs_dir = c.Type(str, default=DEFAULT_OKRS_DIR)
    """The OKR folder, relative to mkdocs.yml. Keep it outside docs_dir."""

    vision_url = c.Type(str, default="vision")
    """The URL of the vision page."""

    teams_url = c.Type(str, default="teams")
    """The URL folder of the team directory and the team pages."""

    objectives_url = c.Type(str, default="okrs")
    """The URL folder of the objective pages."""

    min_key_results = c.Type(int, default=KrRange().minimum)
    max_key_results = c.Type(int, default=KrRange().maximum)
    """An objective with fewer or more key results is a warning (an error with --strict)."""

    edit_uri = c.Optional(c.Type(str))
    """Where "edit" links to OKR files point, relative to repo_url, e.g. `edit/main/`.
    The OKR file's path from the folder of mkdocs.yml is appended. By default derived from
    MkDocs' own `edit_uri` with its trailing docs_dir part removed."""

    add_to_nav = c.Type(bool, default=True)
    """Add the Vision and Teams pages to an explicit `nav` that does not list them."""

    json_file = c.Type(str, default="okrs.json")
    """The file holding the whole resolved cascade for other tools; "" to skip it."""

    diagrams = c.Type(bool, default=True)
    """Render Graphviz alignment diagrams (needs Graphviz's `dot`)."""

    dot_path = c.Type(str, default="dot")
    """The Graphviz `dot` program: a name on PATH or a full path."""

    dot_timeout = c.Type(float, default=60.0)
    """Seconds one batch of diagrams may take before the build fails."""

    diagram_depth = c.Type(int, default=2)
    """How many levels below the company objectives the vision diagram shows."""

    diagram_max_objectives = c.Type(int, default=60)
    """Objectives one diagram may show; a bigger one is cut, with a link to the rest."""

    diagram_max_key_results = c.Type(int, default=12)
    """Key results one objective shows in a diagram; the rest are one "+k more" node
    linking to the objective's page."""

    cache_dir = c.Type(str, default=".cache/okrdocs")
    """Where rendered diagrams are kept between builds, relative to mkdocs.yml."""

    @property
    def kr_range(self) -> KrRange:
        return KrRange(self.min_key_results, self.max_key_results)

    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        """Each option on its own, then the options that must agree with each other."""
        failed, warnings = super().validate()
        if not failed:
            mistake = kr_range_mistake(self.kr_range)
            if mistake is not None:
                failed.append((mistake[0], ValidationError(mistake[1])))
        return failed, warnings
