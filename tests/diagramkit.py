"""One-diagram helpers for the diagram tests.

The package draws every diagram of a site through `Diagrams` and `DiagramJobs`; tests
that look at one diagram at a time use these shortcuts instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future
from typing import Any

from okrdocs.core.domain.cascade import Cascade
from okrdocs.site.diagrams import Diagrams, ObjectiveLink
from okrdocs.site.dot import DotRenderer


def _diagrams(cascade: Cascade, options: dict[str, Any]) -> tuple[Diagrams, dict[str, Any]]:
    settings = {name: options.pop(name) for name in ("max_objectives", "max_key_results") if name in options}
    return Diagrams(cascade, **settings), options


def vision_diagram(cascade: Cascade, link: ObjectiveLink, *args: Any, **options: Any) -> str:
    diagrams, rest = _diagrams(cascade, options)
    return diagrams.vision(link, *args, **rest)


def team_diagram(cascade: Cascade, team_id: str, link: ObjectiveLink, **options: Any) -> str:
    diagrams, rest = _diagrams(cascade, options)
    return diagrams.team(team_id, link, **rest)


def objective_diagram(cascade: Cascade, objective_id: str, link: ObjectiveLink, **options: Any) -> str:
    diagrams, rest = _diagrams(cascade, options)
    return diagrams.objective(objective_id, link, **rest)


def submit(renderer: DotRenderer, sources: Iterable[str], names: Iterable[str] | None = None) -> list[Future[str]]:
    """Start laying out the sources not cached yet; each future gives a cache key."""
    return renderer.start(renderer.plan(sources, names))


def render_to_cache(renderer: DotRenderer, sources: Iterable[str], names: Iterable[str] | None = None) -> list[str]:
    return [future.result() for future in submit(renderer, sources, names)]


def render_many(renderer: DotRenderer, sources: Iterable[str], names: Iterable[str] | None = None) -> list[str]:
    return [renderer.svg(key) for key in render_to_cache(renderer, sources, names)]


def render(renderer: DotRenderer, source: str, name: str = "diagram") -> str:
    return render_many(renderer, [source], [name])[0]
