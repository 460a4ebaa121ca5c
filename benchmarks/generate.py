"""Generate a synthetic organisation in the OKR format, deterministic from a seed.

The organisation is a tree of teams (a company at the root, `width` children per team,
`depth` levels below the company). Each team writes objectives for the year: the company's
are annual and align to the vision; every other team's objectives align to an objective of
its parent team, either tightly (the objective picks up a KR that the parent team delegated
to it, `parent: objective#kr`) or loosely (`parent: objective`). Periods narrow down the tree
(2026, then halves, then quarters), each inside its parent's. KRs mix the three kinds of
progress (a `progress` score, start/target/current, none), and objectives carry owners,
statuses, confidence and tags some of the time.

Besides the parent links, a few objectives of each team contribute to a key result of a
sibling team's objective in an overlapping period, and that key result depends on the
contributing team (so every dependency is confirmed); some key results weigh more or less
than 1, and most teams name reviewers (`okrdocs codeowners`). These come from a random
generator of their own, so the tree, the objectives and the parent links are the same as
without them.

Every organisation generated passes `okrdocs check` with no errors and no warnings.

    python benchmarks/generate.py OUT_DIR --teams 1000 --objectives-per-team 5 --krs 3.4 --seed 1
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

YEAR = 2026

_AREAS = (
    "Sales",
    "Marketing",
    "Engineering",
    "Platform",
    "Payments",
    "Mobile",
    "Data",
    "Security",
    "Support",
    "Finance",
    "People",
    "Legal",
    "Operations",
    "Logistics",
    "Design",
    "Research",
    "Growth",
    "Partnerships",
    "Infrastructure",
    "Quality",
    "Service",
    "Procurement",
    "Fleet",
    "Charging",
    "Retail",
    "Analytics",
    "Billing",
    "Identity",
    "Search",
    "Content",
)
_FOCUS = (
    "Core",
    "Europe",
    "Americas",
    "Asia",
    "Enterprise",
    "Consumer",
    "Onboarding",
    "Checkout",
    "Reliability",
    "Tooling",
    "Insights",
    "Experience",
    "Automation",
    "Compliance",
    "Field",
    "Web",
    "Backend",
    "Frontend",
    "Pricing",
    "Loyalty",
    "Dealers",
    "Workshops",
    "Energy",
    "Apps",
)
_FIRST_NAMES = (
    "Pat",
    "Dana",
    "Marco",
    "Ingrid",
    "Aisha",
    "Wei",
    "Lena",
    "Tomás",
    "Priya",
    "Kofi",
    "Sofia",
    "Yuki",
    "Omar",
    "Elena",
    "Jonas",
    "Amara",
    "Luca",
    "Mei",
    "Noah",
    "Zara",
    "Ravi",
    "Chloé",
)
_LAST_NAMES = (
    "Lee",
    "Cruz",
    "Bianchi",
    "Berg",
    "Khan",
    "Zhang",
    "Novak",
    "García",
    "Iyer",
    "Mensah",
    "Rossi",
    "Tanaka",
    "Haddad",
    "Popescu",
    "Larsen",
    "Okafor",
    "Moretti",
    "Chen",
    "Fischer",
)
_VERBS = (
    "Grow",
    "Reduce",
    "Launch",
    "Improve",
    "Double",
    "Simplify",
    "Expand",
    "Automate",
    "Win",
    "Modernise",
    "Halve",
    "Strengthen",
    "Scale",
    "Accelerate",
    "Localise",
    "Stabilise",
)
_OUTCOMES = (
    "revenue from new markets",
    "customer satisfaction for servicing",
    "time to first order",
    "brand visibility in the region",
    "the share of online bookings",
    "delivery lead times",
    "repeat purchases",
    "the qualified lead pipeline",
    "uptime of the booking service",
    "the cost of charging at home",
    "onboarding of new dealers",
    "self-service support",
    "fleet contracts with businesses",
    "test-drive conversion",
    "warranty claim handling",
    "hiring of specialised technicians",
    "release frequency of the app",
    "data quality",
)
_MEASURES = (
    ("the net promoter score", " points"),
    ("the share of online bookings", "%"),
    ("signed partner contracts", " contracts"),
    ("trained sales associates", " people"),
    ("first-contact resolution", "%"),
    ("monthly active app users", "k users"),
    ("qualified leads per month", " leads"),
    ("on-time deliveries", "%"),
    ("reviews of four stars or more", "%"),
    ("charging sessions per week", "k sessions"),
    ("partner showrooms", " sites"),
    ("certified technicians", " people"),
    ("fleet customers", " customers"),
    ("automated test coverage", "%"),
)
_KR_TEMPLATES = (
    "Raise {noun} from {start}{unit} to {target}{unit}",
    "Bring {noun} to {target}{unit}",
    "Grow {noun} from {start} to {target}{unit}",
    "Publish a weekly report on {noun}",
    "Run a quarterly review of {noun} with every region",
    "Agree a plan for {noun} with the *leadership team*",
)
_TAGS = (
    "expansion",
    "revenue",
    "hiring",
    "customer",
    "quality",
    "cost",
    "platform",
    "brand",
    "safety",
    "compliance",
    "sustainability",
    "partners",
    "mobile",
    "emea",
    "retention",
)
_STATUSES = ("on-track", "at-risk", "off-track", "done")
_WORDS = (
    "customers",
    "market",
    "region",
    "team",
    "quarter",
    "launch",
    "pilot",
    "partners",
    "growth",
    "feedback",
    "pipeline",
    "service",
    "delivery",
    "booking",
    "support",
    "pricing",
    "roadmap",
    "dealers",
    "workshop",
    "charging",
    "software",
    "update",
    "data",
    "report",
    "training",
    "budget",
    "plan",
    "goal",
    "results",
    "progress",
    "risk",
    "priority",
    "process",
    "quality",
    "focus",
    "experience",
    "cost",
    "speed",
    "trust",
    "owners",
    "drivers",
    "fleet",
    "cars",
)
_CONNECTORS = (
    "because",
    "so that",
    "while",
    "and",
    "but",
    "before",
    "after",
    "as",
    "which means",
)


@dataclass
class GenerationStats:
    teams: int = 0
    depth: int = 0
    width: int = 0
    objectives: int = 0
    key_results: int = 0
    delegations: int = 0
    """(KR, team) pairs: each is picked up by exactly one objective of that team."""
    tight_links: int = 0
    loose_links: int = 0
    contributions: int = 0
    dependencies: int = 0
    """Each confirmed by the contribution that made it."""
    weighted_key_results: int = 0
    teams_with_reviewers: int = 0
    files: int = 0
    bytes: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class _Team:
    index: int
    id: str
    name: str
    level: int
    parent: _Team | None
    lead: str
    description: str | None
    children: list[_Team] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    objectives: list[_Objective] = field(default_factory=list)


@dataclass
class _KeyResult:
    id: str
    title: str
    delegated_to: list[str] = field(default_factory=list)
    progress_fields: dict[str, object] = field(default_factory=dict)
    weight: float = 1
    depends_on: list[str] = field(default_factory=list)


@dataclass
class _Objective:
    id: str
    title: str
    team: _Team
    period: str
    parent: str
    key_results: list[_KeyResult]
    owner: str | None
    status: str | None
    confidence: float | None
    tags: list[str]
    title_in_heading: bool
    body: str
    contributes_to: list[str] = field(default_factory=list)


def default_width(teams: int, depth: int) -> int:
    """The smallest fan-out for which `depth` levels below the company hold `teams` teams."""
    if teams > 1 and depth < 1:
        raise ValueError(f"{teams} teams need at least one level below the company: use depth 1 or more")
    width = 1
    while _capacity(width, depth) < teams:
        width += 1
    return width


def _capacity(width: int, depth: int) -> int:
    return sum(width**level for level in range(depth + 1))


def generate(
    out_dir: Path | str,
    teams: int = 1000,
    objectives_per_team: float = 5.0,
    krs_per_objective: float = 3.4,
    seed: int = 1,
    depth: int = 3,
    width: int | None = None,
    tight_share: float = 0.6,
) -> GenerationStats:
    """Write an OKR folder (teams.yml, vision.md, one file per objective) into `out_dir`.

    `objectives_per_team` and `krs_per_objective` are means (KRs stay within 1..5);
    `tight_share` is the share of a non-company team's objectives that pick up a delegated
    KR, the others align loosely. `out_dir` must not exist or be empty.
    """
    if teams < 1:
        raise ValueError("teams must be at least 1")
    if not 1.0 <= krs_per_objective <= 5.0:
        raise ValueError("krs_per_objective must lie within 1..5 (the default KR range)")
    if objectives_per_team < 1.0:
        raise ValueError("objectives_per_team must be at least 1")
    width = width or default_width(teams, depth)
    if _capacity(width, depth) < teams:
        raise ValueError(f"{teams} teams do not fit in a tree of width {width} and depth {depth}")
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} is not empty")
    rng = random.Random(seed)
    tree = _team_tree(rng, teams, width, depth)
    for team in tree:
        _team_objectives(rng, team, objectives_per_team, krs_per_objective, tight_share)
    _cross_links(random.Random(f"links-{seed}"), tree)
    stats = GenerationStats(teams=len(tree), depth=max(t.level for t in tree), width=width)
    _write(out, tree, stats)
    return stats


# -- teams -------------------------------------------------------------------


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def _slugify(text: str) -> str:
    ascii_text = text.lower().replace("é", "e").replace("á", "a")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _team_tree(rng: random.Random, count: int, width: int, depth: int) -> list[_Team]:
    """Teams level by level; each level's teams are spread round-robin over the parents."""
    root = _Team(0, "company", "Northwind Group", 0, None, _person(rng), "The whole company.")
    tree = [root]
    level = [root]
    for level_number in range(1, depth + 1):
        if len(tree) >= count:
            break
        wanted = min(count - len(tree), len(level) * width)
        next_level: list[_Team] = []
        for position in range(wanted):
            parent = level[position % len(level)]
            index = len(tree)
            name = f"{rng.choice(_AREAS)} {rng.choice(_FOCUS)}"
            description = f"Owns {rng.choice(_OUTCOMES)} for {parent.name}." if rng.random() < 0.5 else None
            team = _Team(
                index, f"{_slugify(name)}-{index}", f"{name} {index}", level_number, parent, _person(rng), description
            )
            parent.children.append(team)
            tree.append(team)
            next_level.append(team)
        level = next_level
    return tree


# -- objectives --------------------------------------------------------------


def _mean_count(rng: random.Random, mean: float, low: int, high: int) -> int:
    """A whole count whose expectation is `mean`: floor or ceil, now and then one more or less."""
    base = math.floor(mean)
    count = base + (1 if rng.random() < mean - base else 0)
    if rng.random() < 0.2:
        count += rng.choice((-1, 1))
    if count < low or count > high:
        count = base if low <= base <= high else max(low, min(high, count))
    return count


def _child_period(rng: random.Random, parent_period: str, level: int) -> str:
    """A period inside the parent's: halves below the company, quarters further down."""
    if parent_period == str(YEAR):
        if level == 1:
            return f"{YEAR}-H{rng.randint(1, 2)}"
        return f"{YEAR}-Q{rng.randint(1, 4)}"
    if "-H" in parent_period:
        half = int(parent_period[-1])
        return f"{YEAR}-Q{(half - 1) * 2 + rng.randint(1, 2)}"
    return parent_period


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 9))]
    words.insert(rng.randint(2, len(words) - 2), rng.choice(_CONNECTORS))
    if rng.random() < 0.15:
        position = rng.randrange(len(words))
        words[position] = f"**{words[position]}**"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random) -> str:
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.25:
        paragraphs.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 4))))
    return "\n\n".join(paragraphs)


def _key_result(rng: random.Random, number: int) -> _KeyResult:
    noun, unit = rng.choice(_MEASURES)
    start = rng.randint(0, 50)
    target = start + rng.randint(1, 100)
    kind = rng.random()
    fields: dict[str, object] = {}
    if kind < 0.35:
        fields["progress"] = round(rng.random(), 2)
    elif kind < 0.75:
        current = round(start + (target - start) * rng.uniform(-0.1, 1.2), 1)
        fields.update(start=start, target=target, current=int(current) if current.is_integer() else current)
        if rng.random() < 0.8:
            fields["unit"] = unit.strip()
    title = rng.choice(_KR_TEMPLATES).format(noun=noun, start=start, target=target, unit=unit)
    return _KeyResult(f"kr{number}", title, progress_fields=fields)


def _team_objectives(
    rng: random.Random, team: _Team, per_team: float, krs_per_objective: float, tight_share: float
) -> None:
    """The team's objectives; tight ones add the team to the delegated_to of a parent-team KR."""
    count = _mean_count(rng, per_team, 1, 10**6)
    parent_team = team.parent
    for number in range(1, count + 1):
        verb, outcome = rng.choice(_VERBS), rng.choice(_OUTCOMES)
        if parent_team is None:
            parent, period = "vision", str(YEAR)
        elif rng.random() < tight_share and (kr_choice := _delegable_kr(rng, parent_team, team)) is not None:
            parent_objective, kr = kr_choice
            kr.delegated_to.append(team.id)
            parent, period = f"{parent_objective.id}#{kr.id}", _child_period(rng, parent_objective.period, team.level)
            if rng.random() < 0.7:
                kr.progress_fields.clear()  # the score then comes from the pickups
            verb, outcome = kr.title.split(" ", 1)  # a pickup often keeps the KR's wording
        else:
            parent_objective = rng.choice(parent_team.objectives)
            parent, period = parent_objective.id, _child_period(rng, parent_objective.period, team.level)
        title = f"{verb} {outcome}"
        kr_count = _mean_count(rng, krs_per_objective, 1, 5)
        team.objectives.append(
            _Objective(
                id=f"{_objective_slug(title)}-{team.index}-{number}",
                title=title,
                team=team,
                period=period,
                parent=parent,
                key_results=[_key_result(rng, n) for n in range(1, kr_count + 1)],
                owner=_person(rng) if rng.random() < 0.7 else None,
                status=rng.choice(_STATUSES) if rng.random() < 0.6 else None,
                confidence=round(rng.random(), 1) if rng.random() < 0.3 else None,
                tags=sorted(set(rng.sample(_TAGS, rng.randint(1, 3)))) if rng.random() < 0.5 else [],
                title_in_heading=rng.random() < 0.1,
                body=_body(rng),
            )
        )


def _objective_slug(title: str) -> str:
    """The first three words of the title that are neither numbers nor small words."""
    words = [w for w in _slugify(title).split("-") if w.isalpha() and w not in ("the", "of", "to", "a", "from")]
    return "-".join(words[:3])


def _delegable_kr(rng: random.Random, parent_team: _Team, team: _Team) -> tuple[_Objective, _KeyResult] | None:
    """A KR of the parent team not yet delegated to `team`, preferring undelegated ones."""
    candidates = [(o, kr) for o in parent_team.objectives for kr in o.key_results if team.id not in kr.delegated_to]
    fresh = [pair for pair in candidates if not pair[1].delegated_to]
    pool = fresh or candidates
    return rng.choice(pool) if pool else None


# -- links besides the parent ---------------------------------------------------

CONTRIBUTIONS_PER_TEAM = (0, 3)
"""The least and most contributions each team below the company makes."""


def _months(period: str) -> tuple[int, int]:
    if "-H" in period:
        half = int(period[-1])
        return (half - 1) * 6 + 1, half * 6
    if "-Q" in period:
        quarter = int(period[-1])
        return (quarter - 1) * 3 + 1, quarter * 3
    return 1, 12


def _overlap(one: str, other: str) -> bool:
    (first, last), (other_first, other_last) = _months(one), _months(other)
    return first <= other_last and other_first <= last


def _cross_links(rng: random.Random, tree: list[_Team]) -> None:
    """Contributions to sibling teams' key results (each confirming the dependency it
    adds there), weights, and reviewers."""
    for team in tree:
        if team.level <= 1 or rng.random() < 0.5:
            team.reviewers = [f"@northwind/{team.id}"] + ([f"@{_slugify(team.lead)}"] if rng.random() < 0.3 else [])
        for objective in team.objectives:
            if len(objective.key_results) > 1 and rng.random() < 0.25:
                rng.choice(objective.key_results).weight = rng.choice((0.5, 2, 3))
        siblings = [t for t in (team.parent.children if team.parent else []) if t is not team]
        for _ in range(rng.randint(*CONTRIBUTIONS_PER_TEAM) if siblings and team.objectives else 0):
            helper = rng.choice(team.objectives)
            targets = [
                (o, kr)
                for sibling in siblings
                for o in sibling.objectives
                if _overlap(o.period, helper.period)
                for kr in o.key_results
                if f"{o.id}#{kr.id}" not in helper.contributes_to
            ]
            if targets:
                target, kr = rng.choice(targets)
                helper.contributes_to.append(f"{target.id}#{kr.id}")
                if team.id not in kr.depends_on:
                    kr.depends_on.append(team.id)


# -- writing -----------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.'()%/#-]*$")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}


def _scalar(value: object) -> str:
    if isinstance(value, str):
        if _PLAIN.match(value) and value.lower() not in _YAML_WORDS and " #" not in value and not value.endswith(" "):
            return value
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _teams_yaml(tree: list[_Team]) -> str:
    lines = ["teams:"]
    for team in tree:
        lines.append(f"  - id: {team.id}")
        lines.append(f"    name: {_scalar(team.name)}")
        if team.parent is not None:
            lines.append(f"    parent: {team.parent.id}")
        lines.append(f"    lead: {_scalar(team.lead)}")
        if team.description:
            lines.append(f"    description: {_scalar(team.description)}")
        if team.reviewers:
            lines.append(f"    reviewers: [{', '.join(json.dumps(r) for r in team.reviewers)}]")
    return "\n".join(lines) + "\n"


_VISION = """---
vision: Make electric driving the obvious choice for every household and business we serve.
horizon: "2030"
---
# Our vision

A synthetic organisation generated for the okrdocs benchmark. Company objectives are
annual and align to this vision; every team below aligns to an objective of its parent
team, tightly by picking up a delegated key result or loosely.
"""


def _objective_text(objective: _Objective) -> str:
    lines = ["---"]
    if not objective.title_in_heading:
        lines.append(f"title: {_scalar(objective.title)}")
    lines.append(f"team: {objective.team.id}")
    if objective.owner:
        lines.append(f"owner: {_scalar(objective.owner)}")
    lines.append(f"period: {objective.period}")
    lines.append(f"parent: {_scalar(objective.parent)}")
    if objective.status:
        lines.append(f"status: {objective.status}")
    if objective.confidence is not None:
        lines.append(f"confidence: {objective.confidence}")
    if objective.tags:
        lines.append(f"tags: [{', '.join(objective.tags)}]")
    if objective.contributes_to:
        lines.append(f"contributes_to: [{', '.join(objective.contributes_to)}]")
    lines.append("key_results:")
    for kr in objective.key_results:
        lines.append(f"  - id: {kr.id}")
        lines.append(f"    title: {_scalar(kr.title)}")
        if len(kr.delegated_to) == 1:
            lines.append(f"    delegated_to: {kr.delegated_to[0]}")
        elif kr.delegated_to:
            lines.append(f"    delegated_to: [{', '.join(kr.delegated_to)}]")
        for name, value in kr.progress_fields.items():
            lines.append(f"    {name}: {_scalar(value)}")
        if kr.weight != 1:
            lines.append(f"    weight: {kr.weight}")
        if kr.depends_on:
            lines.append(f"    depends_on: [{', '.join(kr.depends_on)}]")
    lines.append("---")
    if objective.title_in_heading:
        lines.append(f"# {objective.title}")
        lines.append("")
    lines.append(objective.body)
    return "\n".join(lines) + "\n"


def _write(out: Path, tree: list[_Team], stats: GenerationStats) -> None:
    out.mkdir(parents=True, exist_ok=True)
    files = {"teams.yml": _teams_yaml(tree), "vision.md": _VISION}
    for team in tree:
        for objective in team.objectives:
            files[f"{team.id}/{objective.id}.md"] = _objective_text(objective)
            stats.objectives += 1
            stats.key_results += len(objective.key_results)
            stats.delegations += sum(len(kr.delegated_to) for kr in objective.key_results)
            stats.contributions += len(objective.contributes_to)
            stats.dependencies += sum(len(kr.depends_on) for kr in objective.key_results)
            stats.weighted_key_results += sum(kr.weight != 1 for kr in objective.key_results)
            if "#" in objective.parent:
                stats.tight_links += 1
            elif objective.parent != "vision":
                stats.loose_links += 1
    stats.teams_with_reviewers = sum(bool(team.reviewers) for team in tree)
    for team in tree:
        (out / team.id).mkdir()
    for relative, text in files.items():
        data = text.encode("utf-8")
        (out / relative).write_bytes(data)
        stats.files += 1
        stats.bytes += len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="the OKR folder to create (must not exist or be empty)")
    parser.add_argument("--teams", type=int, default=1000, help="number of teams, the company included (default 1000)")
    parser.add_argument("--objectives-per-team", type=float, default=5.0, help="mean objectives per team (default 5)")
    parser.add_argument("--krs", type=float, default=3.4, help="mean key results per objective, 1..5 (default 3.4)")
    parser.add_argument("--depth", type=int, default=3, help="levels of teams below the company (default 3)")
    parser.add_argument(
        "--width", type=int, default=None, help="most child teams per team (default: the least that fits)"
    )
    parser.add_argument(
        "--tight-share",
        type=float,
        default=0.6,
        help="share of team objectives that pick up a delegated KR (default 0.6)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    arguments = parser.parse_args(argv)
    try:
        stats = generate(
            arguments.out_dir,
            teams=arguments.teams,
            objectives_per_team=arguments.objectives_per_team,
            krs_per_objective=arguments.krs,
            seed=arguments.seed,
            depth=arguments.depth,
            width=arguments.width,
            tight_share=arguments.tight_share,
        )
    except ValueError as error:
        print(f"generate: error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(stats.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
