"""`okrdocs rules [CODE]`: the coaching catalogue; and `check --warn/--error/--ignore`.

The catalogue is `core.rules.coaching`; this module prints it, and turns the command
line's codes into the same configuration as the plugin option `rules:`.
"""

from __future__ import annotations

import argparse
import textwrap
from dataclasses import replace
from typing import Any

from ..core.domain.problems import CATALOGUE
from ..core.rules.coaching import RULES, RULES_BY_CODE, Rule
from ..core.rules.rule_settings import LEVELS, code_mistake, read_rules, suggest_code
from ..site.settings import SiteSettings


class RuleOptionError(ValueError):
    """A code on the command line that cannot be configured; the message says why."""


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """`--warn`, `--error` and `--ignore`, each taking codes (repeat it, or separate them with commas)."""
    for level, what in (("warn", "report as warnings"), ("error", "report as errors"), ("ignore", "leave out")):
        parser.add_argument(
            f"--{level}",
            action="append",
            default=[],
            metavar="CODES",
            help=f"{what}: coaching codes (OKR7xx) or warnings, like OKR703,OKR704 (over the plugin's 'rules:')",
        )


def with_rule_options(settings: SiteSettings, arguments: argparse.Namespace) -> SiteSettings:
    """The settings with the command line's codes moved where it says; raises RuleOptionError."""
    rules: dict[str, Any] = dict(settings.options.rules)
    for level in LEVELS:
        given = [code.strip() for value in getattr(arguments, level, []) for code in value.split(",") if code.strip()]
        for code in given:
            mistake = code_mistake(code, f"--{level}")
            if mistake is not None:
                raise RuleOptionError(mistake)
        codes = {code.upper() for code in given}
        if not codes:
            continue
        for other in LEVELS:
            rules[other] = sorted(set(rules.get(other) or []) - codes)
        rules[level] = sorted(set(rules.get(level) or []) | codes)
    if rules == settings.options.rules:
        return settings
    _, mistakes = read_rules(rules)
    if mistakes:
        raise RuleOptionError("; ".join(mistakes))
    return replace(settings, options=replace(settings.options, rules=rules))


def add_rules(commands: Any, run_exit_usage: int) -> None:
    rules = commands.add_parser(
        "rules",
        help="list the coaching rules (OKR7xx), or print one rule's why and examples",
        description=(
            "List the coaching rules. With a CODE, print that rule's why, a weak and a strong "
            "example, and the fix. Configure them with the plugin option 'rules:' or "
            "okrdocs check --warn/--error/--ignore."
        ),
    )
    rules.add_argument("code", nargs="?", metavar="CODE", help="a rule's code, like OKR703")
    rules.set_defaults(run=lambda arguments: _run_rules(arguments, run_exit_usage))


def _run_rules(arguments: argparse.Namespace, exit_usage: int) -> int:
    from .commands import print_error

    if arguments.code is None:
        width = max(len(rule.name) for rule in RULES)
        for rule in RULES:
            print(f"{rule.code.code}  {rule.name:<{width}}  {rule.code.summary}")
        return 0
    code = arguments.code.upper()
    found = RULES_BY_CODE.get(code)
    if found is None:
        gate = next((c for c in CATALOGUE if c.code == code), None)
        if gate is not None:
            print_error(f"{code} is a problem of the gate ({gate.summary}), not a coaching rule: run okrdocs rules")
        else:
            hint = suggest_code(code)
            print_error(f"there is no rule {arguments.code!r}{hint or '; run okrdocs rules for the list'}")
        return exit_usage
    print(describe_rule(found))
    return 0


def describe_rule(rule: Rule) -> str:
    """One rule as `okrdocs rules CODE` prints it."""
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    return "\n".join(
        [
            f"{rule.code.code} {rule.name}: {rule.code.summary}",
            "",
            "Why:",
            wrap.fill(rule.why),
            "",
            f"Weak:   {rule.weak}",
            f"Strong: {rule.strong}",
            f"Fix:    {rule.fix}",
        ]
    )
