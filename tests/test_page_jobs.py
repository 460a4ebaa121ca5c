"""A large build renders part of its pages in a worker process (`site.page_jobs`): the
pages must be byte for byte those the build renders itself, and whatever goes wrong in
the worker must end as it would without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrdocs.cli.settings import read_mkdocs_settings
from okrdocs.core.history.timeline import Timeline
from okrdocs.site import page_jobs
from okrdocs.site.build import SiteBuild
from okrdocs.site.page_jobs import PageJobs, PageState
from okrdocs.site.pages import render_page
from sitebuild import build_site, write_site

OBJECTIVE_TEMPLATE = '<h1>{{ objective.title }}</h1>{% include "partials/okr-note.html" %}\n'


def _pages_of(site_dir: Path) -> dict[Path, bytes]:
    return {path.relative_to(site_dir): path.read_bytes() for path in sorted(site_dir.rglob("*.html"))}


@pytest.fixture
def worker_pages(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every build renders through the worker, in chunks of two pages; records for each
    page the build asked for whether the worker's HTML was taken."""
    taken: list[bool] = []
    html = PageJobs.html

    def recording(self: PageJobs, page: object) -> str | None:
        result = html(self, page)  # type: ignore[arg-type]
        taken.append(result is not None)
        return result

    monkeypatch.setattr(page_jobs, "PROCESS_MIN_PAGES", 1)
    monkeypatch.setattr(page_jobs, "CHUNK_PAGES", 2)
    monkeypatch.setattr(PageJobs, "html", recording)
    return taken


def test_pages_from_the_worker_are_those_the_build_renders_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker_pages: list[bool]
) -> None:
    monkeypatch.setattr(page_jobs, "PROCESS_MIN_PAGES", 10**9)
    alone = _pages_of(build_site(write_site(tmp_path / "alone", config={"repo_url": "https://example.com/r"})))
    assert worker_pages == []
    monkeypatch.setattr(page_jobs, "PROCESS_MIN_PAGES", 1)
    monkeypatch.setattr(page_jobs, "WORKER_SHARE", 1.0)
    helped = build_site(write_site(tmp_path / "helped", config={"repo_url": "https://example.com/r"}))
    assert _pages_of(helped) == alone
    assert any(worker_pages), "the worker rendered no page"


def test_a_template_error_ends_the_build_as_it_does_without_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker_pages: list[bool]
) -> None:
    """The worker's failure leaves its pages to the build, whose rendering raises."""
    errors = []
    for name, minimum in (("alone", 10**9), ("helped", 1)):
        monkeypatch.setattr(page_jobs, "PROCESS_MIN_PAGES", minimum)
        config_file = write_site(
            tmp_path / name,
            plugin={"diagrams": False},
            config={"theme": {"name": "material", "custom_dir": "overrides"}},
        )
        (tmp_path / name / "overrides" / "okrdocs").mkdir(parents=True)
        (tmp_path / name / "overrides" / "okrdocs" / "objective.html").write_text("{{ objective.missing.title }}\n")
        with pytest.raises(Exception) as raised:
            build_site(config_file)
        errors.append((type(raised.value), str(raised.value)))
    assert errors[0] == errors[1]
    assert "'missing'" in errors[0][1]


def test_a_theme_template_only_the_worker_loaded_is_kept_with_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """custom_dir/okrdocs/objective.html includes custom_dir/partials/okr-note.html: the
    page cache keeps the partial's hash (and renders again when it changes) even when
    the worker rendered every page that includes it."""
    config_file = write_site(
        tmp_path, plugin={"diagrams": False}, config={"theme": {"name": "material", "custom_dir": "overrides"}}
    )
    (tmp_path / "overrides" / "okrdocs").mkdir(parents=True)
    (tmp_path / "overrides" / "okrdocs" / "objective.html").write_text(OBJECTIVE_TEMPLATE, encoding="utf-8")
    (tmp_path / "overrides" / "partials").mkdir()
    (tmp_path / "overrides" / "partials" / "okr-note.html").write_text("<p>NOTE</p>\n", encoding="utf-8")
    build = SiteBuild(read_mkdocs_settings(str(config_file)))
    cascade = build.check().cascade
    urls = {page: build.layout.src_uri(page) for page in build.layout.pages(cascade)}
    objectives = [page for page in urls if page.kind == "objective"]
    env = build.environment()
    monkeypatch.setattr(page_jobs, "WORKER_SHARE", 1.0)
    jobs = PageJobs(PageState(build.settings, cascade, urls, Timeline.today(), diagrams=False), objectives, env)
    assert jobs.started.wait(60)
    html = [jobs.html(page) for page in objectives]
    assert all(page is not None and "<p>NOTE</p>" in page for page in html)
    assert "partials/okr-note.html" in {template.name for template in env.cache.values()}
    expected = render_page(env, build.page_context(cascade, urls, objectives[0], Timeline.today(), False))
    assert html[0] == expected
