from __future__ import annotations

import itertools

import pytest

from pyweb_scaffold.flowchart import QUESTIONS, RULES, default_answers, recommend

KEYS = [question.key for question in QUESTIONS]
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


@pytest.mark.parametrize("values", list(itertools.product([False, True], repeat=len(KEYS))))
def test_every_path(values: tuple[bool, ...]) -> None:
    answers = dict(zip(KEYS, values, strict=True))
    result = recommend(answers)

    fired = [(number, key, framework) for number, (key, framework) in enumerate(ORDER, 1) if answers[key]]
    if not fired:
        assert (result.framework, result.rule) == ("fastapi", None)
        assert result.conflicts == ()
        return
    number, _, framework = fired[0]
    assert (result.framework, result.rule) == (framework, number)
    assert f'Rule {number}: "{RULES[number - 1].quote}"' in result.reasons
    # Rule 4 is the flowchart's default, not a need, so it never counts as a conflict.
    conflicting = [fw for n, key, fw in fired[1:] if fw != framework and key != "greenfield"]
    assert len(result.conflicts) == len(conflicting)
    if conflicting:
        assert result.runner_up == conflicting[0]
    assert result.runner_up != result.framework


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
