"""The framework decision flowchart, as data plus one pure function.

The five questions and their order come from section 12 of the framework comparison
("Decision Flowchart — 5 Questions"); the reasons draw on its comparison table and on the
other seeds' notes on real-time, AI/ML serving, admin/CMS, footprint and team expertise.
The first rule that fires decides; every later rule that fires for another framework is
reported as a conflict, and the first of those names the runner-up. Follow-up questions, asked
only after a yes, tell apart the needs one flowchart question bundles (real-time or AI/ML
serving, an admin or full-stack pages): they pick the runner-up and become the defaults of the
project questions they imply.
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
    follows: str | None = None
    """A follow-up: asked only when this question was answered yes, and a yes implies it."""


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
        "full_stack",
        "full-stack",
        "Pages for people (sign-in, forms, lists), beyond an API and the admin?",
        default=False,
        follows="admin_ui",
    ),
    Question(
        "async_api",
        "async-api",
        "Do you need a high-concurrency async API, WebSockets/real-time, or AI/ML inference serving?",
        default=False,
    ),
    Question(
        "realtime",
        "realtime",
        "Real-time events pushed to clients (WebSockets or server-sent events)?",
        default=False,
        follows="async_api",
    ),
    Question(
        "ai_serving",
        "ai-serving",
        "AI/ML inference serving, with long jobs off the request path?",
        default=False,
        follows="async_api",
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

# The next-best fit when no other rule fired, from the comparison table: by the deciding rule, or
# by the follow-up answered yes under it (the first that applies wins).
RUNNER_UP: Mapping[int | str | None, tuple[str, str]] = {
    None: ("flask", "Flask is rated good for new microservices and REST APIs, with the smallest footprint."),
    "full_stack": ("flask", "Flask makes server-side pages possible with Jinja templates, but brings no admin."),
    1: ("fastapi", "FastAPI covers the API side faster, but brings no admin or server-side pages."),
    "realtime": ("django", "Django pushes WebSocket events through Channels, where Flask needs an extension."),
    "ai_serving": ("flask", "Flask with Celery is the comparison's pick for an async ML job queue."),
    2: ("django", "Django serves async views under ASGI, though its concurrency is rated limited."),
    3: ("fastapi", "FastAPI keeps Flask's lightness and adds async, validation and API docs."),
    4: ("flask", "Flask is rated good for new microservices and REST APIs, with the smallest footprint."),
    5: ("fastapi", "FastAPI covers the API side faster, but brings no admin or server-side pages."),
}

# The project questions (copier.yml) a follow-up's yes answers by default, still shown and changeable.
PROJECT_DEFAULTS: Mapping[str, str] = {
    "full_stack": "server_pages",
    "realtime": "realtime",
    "ai_serving": "background_jobs",
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

    def explain(self, width: int = 100) -> str:
        """The recommendation in words, each paragraph wrapped to `width` columns."""
        import textwrap

        from pyweb_scaffold.template_source import framework_names

        names = framework_names()
        paragraphs = [(f"Recommended: {names[self.framework]}, because you {self.because}.", "")]
        paragraphs += [(f"  {reason}", "    ") for reason in self.reasons]
        paragraphs += [(f"  Conflict: {conflict}", "    ") for conflict in self.conflicts]
        paragraphs.append((f"Runner-up: {names[self.runner_up]}. {self.runner_up_reason}", "  "))
        return "\n".join(
            textwrap.fill(text, width=max(width, 40), subsequent_indent=indent, break_on_hyphens=False)
            for text, indent in paragraphs
        )

    def project_defaults(self) -> dict[str, bool]:
        """The project questions the answers imply, as defaults (see PROJECT_DEFAULTS)."""
        return {question: True for answer, question in PROJECT_DEFAULTS.items() if self.answers[answer]}


def default_answers() -> dict[str, bool]:
    return {question.key: question.default for question in QUESTIONS}


def complete_answers(answers: Mapping[str, bool]) -> dict[str, bool]:
    """`answers` with the defaults filled in; a follow-up's yes implies its question's yes."""
    unknown = set(answers) - {question.key for question in QUESTIONS}
    if unknown:
        raise ValueError(f"unknown flowchart answer(s): {', '.join(sorted(unknown))}")
    full = {**default_answers(), **answers}
    flags = {question.key: question.flag for question in QUESTIONS}
    for question in QUESTIONS:
        if question.follows and full[question.key]:
            if answers.get(question.follows) is False:
                parent = flags[question.follows]
                raise ValueError(f"--{question.flag} is a kind of --{parent}: it cannot go with --no-{parent}")
            full[question.follows] = True
        elif question.follows and not full[question.follows]:
            full[question.key] = False
    return full


def _runner_up(rule: int | None, answers: Mapping[str, bool]) -> tuple[str, str]:
    """The deciding rule's runner-up, or that of the first follow-up answered yes under it."""
    question = RULES[rule - 1].question if rule else None
    follow_ups = [q.key for q in QUESTIONS if q.follows and q.follows == question and answers[q.key]]
    return RUNNER_UP[follow_ups[0]] if follow_ups else RUNNER_UP[rule]


def recommend(answers: Mapping[str, bool]) -> Recommendation:
    """Walk the flowchart: the first rule whose question is answered yes decides."""
    full = complete_answers(answers)
    fired = [rule for rule in RULES if full[rule.question]]
    if not fired:
        runner_up, runner_up_reason = _runner_up(None, full)
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
        runner_up, runner_up_reason = _runner_up(decider.number, full)
    return Recommendation(
        framework, decider.number, decider.because, tuple(reasons), conflicts, runner_up, runner_up_reason, full
    )
