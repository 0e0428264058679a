"""The framework decision flowchart, as data plus one pure function.

The five questions and their order come from section 12 of the framework comparison
("Decision Flowchart — 5 Questions"); the reasons draw on its comparison table and on the
other seeds' notes on real-time, AI/ML serving, admin/CMS, footprint and team expertise.
The first rule that fires decides; every later rule that fires for another framework is
reported as a conflict, and the first of those names the runner-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# copier.yml's `framework` choices, in its order; their display names are read from there
# (template_source.framework_names) only when shown, to keep yaml out of every start-up.
FRAMEWORKS = ("fastapi", "django", "flask")


@dataclass(frozen=True)
class Question:
    key: str
    flag: str
    text: str
    default: bool


@dataclass(frozen=True)
class Rule:
    number: int
    question: str
    framework: str
    quote: str
    """The flowchart's own words for the rule."""
    because: str
    """Completes "Recommended: X, because you ..."."""
    why: str
    """What the framework brings for this need."""
    when_overruled: str
    """Said when this rule also fires but an earlier rule decided."""
    is_default: bool = False
    """A default rather than a need: it decides when nothing earlier fired, but never conflicts."""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "admin_ui",
        "admin",
        "Do you need an admin UI / CMS, or a full-stack app with server-side templates?",
        default=False,
    ),
    Question(
        "async_api",
        "async-api",
        "Do you need a high-concurrency async API, WebSockets/real-time, or AI/ML inference serving?",
        default=False,
    ),
    Question(
        "minimal",
        "minimal",
        "Do you have an existing Flask codebase, or want a minimal footprint and full architectural control?",
        default=False,
    ),
    Question(
        "greenfield",
        "greenfield",
        "Is this a greenfield microservice or API?",
        default=True,
    ),
    Question(
        "django_team",
        "django-team",
        "Does your team have deep Django expertise and no performance bottleneck?",
        default=False,
    ),
)

RULES: tuple[Rule, ...] = (
    Rule(
        1,
        "admin_ui",
        "django",
        "Need admin UI or full-stack with server-side templates? → Django",
        "need an admin UI or a full-stack app with server-side templates",
        "Django ships the admin, ORM, auth, forms and templates built in: the comparison "
        "rates it best for full-stack apps and admin/CMS, where FastAPI and Flask have no admin.",
        "you need an admin UI or server-side templates, which only Django ships built in",
    ),
    Rule(
        2,
        "async_api",
        "fastapi",
        "Need high-performance async API or AI/ML inference serving? → FastAPI",
        "need a high-performance async API, real-time or AI/ML inference serving",
        "FastAPI is ASGI-native: the comparison rates it best for high concurrency, AI/ML "
        "serving and WebSockets (native), with Pydantic validation and OpenAPI docs built in.",
        "you need high concurrency, real-time or AI/ML serving, where FastAPI is rated best "
        "(Django serves async views under ASGI, but its concurrency is rated limited)",
    ),
    Rule(
        3,
        "minimal",
        "flask",
        "Have existing Flask codebase or need minimalism & full architectural control? → Flask",
        "have a Flask codebase or want a minimal footprint with full architectural control",
        "Flask is a micro-framework with the smallest footprint: you pick every component, "
        "and existing Flask code and extensions carry over unchanged.",
        "you want a minimal footprint or already run Flask, which favours Flask",
    ),
    Rule(
        4,
        "greenfield",
        "fastapi",
        "Starting greenfield microservice in 2026? → FastAPI (default choice)",
        "are starting a greenfield microservice, where FastAPI is the default choice",
        "For a new service FastAPI is the default: async from day one, typed request "
        "validation and automatic API docs, and the fastest of the three in the benchmarks.",
        "this is a greenfield service, where FastAPI is the default choice",
        is_default=True,
    ),
    Rule(
        5,
        "django_team",
        "django",
        "Team has deep Django expertise and no performance bottlenecks? → Stick with Django",
        "have a team with deep Django expertise and no performance bottleneck",
        "A framework the team knows outperforms an unknown one in practice, and Django's "
        "conventions keep a large codebase consistent.",
        "your team knows Django deeply, and a known framework outperforms an unknown one",
    ),
)

NO_RULE_BECAUSE = "answered no to every question, and FastAPI is the default for a new API in 2026"
NO_RULE_WHY = "None of the flowchart's rules fired, so its default applies: FastAPI for new APIs and microservices."

# The next-best fit when no other rule fired, from the comparison table.
RUNNER_UP: Mapping[str, tuple[str, str]] = {
    "fastapi": ("flask", "Flask is rated good for new microservices and REST APIs, with the smallest footprint."),
    "django": ("fastapi", "FastAPI covers the API side faster, but brings no admin or server-side pages."),
    "flask": ("fastapi", "FastAPI keeps Flask's lightness and adds async, validation and API docs."),
}


@dataclass(frozen=True)
class Recommendation:
    framework: str
    rule: int | None
    because: str
    reasons: tuple[str, ...]
    conflicts: tuple[str, ...]
    runner_up: str
    runner_up_reason: str
    answers: Mapping[str, bool]

    def to_dict(self) -> dict[str, object]:
        return {
            "framework": self.framework,
            "rule": self.rule,
            "because": self.because,
            "reasons": list(self.reasons),
            "conflicts": list(self.conflicts),
            "runner_up": self.runner_up,
            "runner_up_reason": self.runner_up_reason,
            "answers": dict(self.answers),
        }

    def explain(self) -> str:
        from pyweb_scaffold.template_source import framework_names

        names = framework_names()
        lines = [f"Recommended: {names[self.framework]}, because you {self.because}."]
        lines += [f"  {reason}" for reason in self.reasons]
        lines += [f"  Conflict: {conflict}" for conflict in self.conflicts]
        lines.append(f"Runner-up: {names[self.runner_up]}. {self.runner_up_reason}")
        return "\n".join(lines)


def default_answers() -> dict[str, bool]:
    return {question.key: question.default for question in QUESTIONS}


def recommend(answers: Mapping[str, bool]) -> Recommendation:
    """Walk the flowchart: the first rule whose question is answered yes decides."""
    unknown = set(answers) - {question.key for question in QUESTIONS}
    if unknown:
        raise ValueError(f"unknown flowchart answer(s): {', '.join(sorted(unknown))}")
    full = {**default_answers(), **answers}
    fired = [rule for rule in RULES if full[rule.question]]
    if not fired:
        runner_up, runner_up_reason = RUNNER_UP["fastapi"]
        return Recommendation("fastapi", None, NO_RULE_BECAUSE, (NO_RULE_WHY,), (), runner_up, runner_up_reason, full)

    decider, *others = fired
    framework = decider.framework
    reasons = [f'Rule {decider.number}: "{decider.quote}"', decider.why]
    reasons += [f'Also rule {rule.number}: "{rule.quote}"' for rule in others if rule.framework == framework]
    overruled = [rule for rule in others if rule.framework != framework and not rule.is_default]
    conflicts: tuple[str, ...] = ()
    if overruled:
        from pyweb_scaffold.template_source import framework_names  # copier.yml: only when named

        names = framework_names()
        conflicts = tuple(
            f"you also said {rule.when_overruled}; rule {decider.number} comes first in the "
            f"flowchart, so {names[framework]} wins, with {names[rule.framework]} "
            "as the runner-up."
            for rule in overruled
        )
        runner_up = overruled[0].framework
        runner_up_reason = overruled[0].why
    else:
        runner_up, runner_up_reason = RUNNER_UP[framework]
    return Recommendation(
        framework, decider.number, decider.because, tuple(reasons), conflicts, runner_up, runner_up_reason, full
    )
