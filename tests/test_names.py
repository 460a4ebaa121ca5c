"""The one rule for names from the repository that become paths or URLs (`core.names`)."""

from __future__ import annotations

import pytest

from okrdocs.core.domain.names import id_from_file_name, objective_file, relative_path_problem, url_path, url_segment


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("..", "the name '..' is not a file name"),
        ("okrs/../x.md", "the name '..' is not a file name"),
        ("./x.md", "the name '.' is not a file name"),
        ("/etc/passwd", "an absolute path"),
        ("a//b.md", "an empty name"),
        ("a\\..\\b.md", "a name with a backslash"),
        ("a\0b.md", "a name with a NUL character"),
        ("a" * 256 + ".md", "a name longer than 255 bytes"),
    ],
)
def test_names_that_would_leave_the_folder_are_refused(path: str, problem: str) -> None:
    assert relative_path_problem(path) == problem


@pytest.mark.parametrize("path", ["sales/q1.md", 'x" onmouseover="y".md', "a #b?c%d é/ü\n.md", "...md", "-x.md"])
def test_any_other_name_is_a_path_inside_the_folder(path: str) -> None:
    assert relative_path_problem(path) is None


def test_urls_encode_every_character_that_means_something_in_a_url_or_an_attribute() -> None:
    assert url_segment('x" onmouseover="a(1)" #?%é.md') == "x%22%20onmouseover%3D%22a%281%29%22%20%23%3F%25%C3%A9.md"
    assert url_path("okrs/a b/c#d.md") == "okrs/a%20b/c%23d.md"


def test_ids_and_files() -> None:
    assert id_from_file_name("sales/emea/grow-emea.md") == "grow-emea"
    assert objective_file("sales", "grow") == "sales/grow.md"
    with pytest.raises(ValueError):
        objective_file("..", "grow")


def test_page_urls_are_the_ones_mkdocs_gives() -> None:
    from mkdocs.structure.files import File

    from okrdocs.site.layout import Layout, OkrPage

    layout = Layout("vision", "teams", "o k#rs")
    for directory_urls in (True, False):
        for page in (OkrPage("vision"), OkrPage("teams"), OkrPage("team", "index"), OkrPage("objective", "grow")):
            file = File(layout.src_uri(page), src_dir=None, dest_dir="site", use_directory_urls=directory_urls)
            assert (layout.dest_uri(page, directory_urls), layout.url(page, directory_urls)) == (
                file.dest_uri,
                file.url,
            )
