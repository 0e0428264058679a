from __future__ import annotations

import itertools

import pytest

from pyweb_scaffold.flowchart import FRAMEWORKS, QUESTIONS, RULES, default_answers, recommend

KEYS = [question.key for question in QUESTIONS]
NAMES = {"fastapi": "FastAPI", "django": "Django", "flask": "Flask"}
# Section 12's flowchart, in its order: the first "yes" decides; no "yes" means FastAPI.
ORDER = [
    ("admin_ui", "django"),
    ("async_api", "fastapi"),
    ("minimal", "flask"),
    ("greenfield", "fastapi"),
    ("django_team", "django"),
]


def test_questions_follow_the_flowchart_order() -> None:
    assert [(rule.question, rule.framework) for rule in RULES] == ORDER
    assert [question for question, _ in ORDER] == KEYS


# Section 12 of seed 002, case by case: the answers that differ from the defaults (greenfield
# yes, the rest no), and the framework, the deciding rule, the runner-up and how many later rules
# conflict. Rule 4 is the flowchart's default, not a need, so it never counts as a conflict.
SEED_CASES = [
    ({}, "fastapi", 4, "flask", 0),
    ({"greenfield": False}, "fastapi", None, "flask", 0),
    ({"admin_ui": True}, "django", 1, "fastapi", 0),
    ({"admin_ui": True, "async_api": True}, "django", 1, "fastapi", 1),
    ({"admin_ui": True, "django_team": True}, "django", 1, "fastapi", 0),
    ({"admin_ui": True, "async_api": True, "minimal": True}, "django", 1, "fastapi", 2),
    ({"async_api": True}, "fastapi", 2, "flask", 0),
    ({"async_api": True, "greenfield": False}, "fastapi", 2, "flask", 0),
    ({"async_api": True, "minimal": True}, "fastapi", 2, "flask", 1),
    ({"minimal": True}, "flask", 3, "fastapi", 0),
    ({"minimal": True, "greenfield": False}, "flask", 3, "fastapi", 0),
    ({"minimal": True, "django_team": True}, "flask", 3, "django", 1),
    ({"django_team": True}, "fastapi", 4, "django", 1),
    ({"django_team": True, "greenfield": False}, "django", 5, "fastapi", 0),
]


@pytest.mark.parametrize(("answers", "framework", "rule", "runner_up", "conflicts"), SEED_CASES)
def test_the_seed_flowchart_cases(
    answers: dict[str, bool], framework: str, rule: int | None, runner_up: str, conflicts: int
) -> None:
    result = recommend(answers)
    assert (result.framework, result.rule, result.runner_up, len(result.conflicts)) == (
        framework,
        rule,
        runner_up,
        conflicts,
    )
    if rule is not None:
        assert f'Rule {rule}: "{RULES[rule - 1].quote}"' in result.reasons


@pytest.mark.parametrize("values", list(itertools.product([False, True], repeat=len(KEYS))))
def test_every_answer_path_gives_a_distinct_runner_up_and_an_explanation(values: tuple[bool, ...]) -> None:
    result = recommend(dict(zip(KEYS, values, strict=True)))
    assert result.framework in FRAMEWORKS and result.runner_up in FRAMEWORKS
    assert result.runner_up != result.framework
    assert result.explain().startswith(f"Recommended: {NAMES[result.framework]}")


def test_admin_and_concurrency_is_a_conflict_with_fastapi_as_runner_up() -> None:
    result = recommend({"admin_ui": True, "async_api": True})
    assert result.framework == "django"
    assert result.runner_up == "fastapi"
    text = result.explain()
    assert text.startswith("Recommended: Django, because you need an admin UI")
    assert "Conflict: you also said you need high concurrency" in text
    assert "Runner-up: FastAPI." in text


def test_defaults_recommend_fastapi_as_the_greenfield_default() -> None:
    result = recommend(default_answers())
    assert (result.framework, result.rule) == ("fastapi", 4)
    assert result.explain().startswith("Recommended: FastAPI, because you are starting a greenfield microservice")
    assert result.runner_up == "flask"


def test_deterministic_and_json_ready() -> None:
    answers = {"minimal": True, "django_team": True}
    assert recommend(answers) == recommend(answers)
    data = recommend(answers).to_dict()
    assert data["framework"] == "flask" and data["runner_up"] == "django"
    assert data["answers"]["greenfield"] is True


def test_unknown_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown flowchart answer"):
        recommend({"php": True})
