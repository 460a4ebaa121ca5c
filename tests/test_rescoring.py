"""History re-scores only what a commit reached (`core.rescoring`), and gets what scoring
the whole folder after every commit gets: the documented rule is `Cascade`'s scores of the
folder as it stands after each commit."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from okrdocs.core.domain.cascade import resolve
from okrdocs.core.domain.model import SCORE_TOLERANCE, ParentRef, Repository
from okrdocs.core.history.checkins import History, _minimal, _record
from okrdocs.core.history.rescoring import Rescorer

IDS = ("a", "b", "c", "d", "e")
PATHS = ("t/1.md", "t/2.md", "t/3.md", "u/4.md", "u/5.md", "u/6.md")
SCORES = (None, 0.0, 0.25, 0.5, 1.0)

parents = st.one_of(
    st.none(),
    st.just("vision"),
    st.sampled_from(IDS),
    st.builds(lambda i, k: f"{i}#{k}", st.sampled_from(IDS), st.sampled_from(("kr1", "kr2"))),
)
objectives = st.tuples(
    st.sampled_from(IDS),
    parents,
    st.lists(
        st.tuples(st.sampled_from(("kr1", "kr2")), st.sampled_from(SCORES), st.just(None), st.just(()), st.just(1.0)),
        max_size=2,
        unique_by=lambda k: k[0],
    ),
)
commits = st.lists(
    st.lists(st.tuples(st.sampled_from(PATHS), st.one_of(st.none(), objectives)), min_size=1, max_size=3),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(commits)
def test_scores_after_each_commit_are_those_of_the_whole_folder(history_of_commits: list) -> None:
    history, rescorer = History(), Rescorer({})
    for date, commit in enumerate(history_of_commits):
        changes = [
            (path, None if entry is None else _minimal(path, entry[0], _parent(entry[1]), entry[2]))
            for path, entry in commit
        ]
        reached = rescorer.apply(changes)
        _record(history, rescorer.cascade(reached, history.key_results), rescorer.in_path_order(reached), date, None)

        whole = resolve(Repository(objectives=[rescorer.state[path] for path in sorted(rescorer.state)]))
        for objective in whole.objectives.values():
            assert _same(history.of_objective(objective.id)[-1].score, whole.objective_score(objective))
            for kr in objective.key_results:
                assert _same(history.of_key_result(objective.id, kr.id)[-1].score, whole.kr_score(objective, kr))


def test_a_commit_reaches_the_objectives_it_touched_and_those_above_them() -> None:
    def objective(path: str, objective_id: str, parent: str) -> tuple[str, object]:
        return path, _minimal(path, objective_id, ParentRef.parse(parent), [("kr1", None, None, (), 1.0)])

    rescorer = Rescorer(dict([
        objective("1.md", "top", "vision"),
        objective("2.md", "middle", "top#kr1"),
        objective("3.md", "bottom", "middle#kr1"),
        objective("4.md", "aside", "top"),
    ]))  # fmt: skip

    assert rescorer.apply([objective("3.md", "bottom", "middle#kr1")]) == {"bottom", "middle", "top"}
    assert rescorer.apply([objective("3.md", "bottom", "aside#kr1")]) == {"bottom", "middle", "aside", "top"}
    assert rescorer.apply([("4.md", None)]) == {"aside", "top"}


def _parent(value: str | None) -> ParentRef | None:
    return None if value is None else ParentRef.parse(value)


def _same(recorded: float | None, whole: float | None) -> bool:
    """Equal, but for the history's tolerance: a point is recorded only when a score moves
    by more than SCORE_TOLERANCE, so a kept score may differ from a fresh one by that much."""
    if recorded is None or whole is None:
        return recorded is whole
    return math.isclose(recorded, whole, abs_tol=SCORE_TOLERANCE)
