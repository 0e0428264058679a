from __future__ import annotations

import itertools

import pytest

from pyweb_scaffold.flowchart import FRAMEWORKS, QUESTIONS, RULES, complete_answers, default_answers, recommend

KEYS = [question.key for question in QUESTIONS if not question.follows]
FOLLOW_UPS = {question.key: question.follows for question in QUESTIONS if question.follows}
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
    ({"async_api": True}, "fastapi", 2, "django", 0),
    ({"async_api": True, "greenfield": False}, "fastapi", 2, "django", 0),
    ({"async_api": True, "minimal": True}, "fastapi", 2, "flask", 1),
    ({"minimal": True}, "flask", 3, "fastapi", 0),
    ({"minimal": True, "greenfield": False}, "flask", 3, "fastapi", 0),
    ({"minimal": True, "django_team": True}, "flask", 3, "django", 1),
    ({"django_team": True}, "fastapi", 4, "django", 1),
    ({"django_team": True, "greenfield": False}, "django", 5, "fastapi", 0),
    # The follow-ups tell the bundled needs apart, and pick the runner-up by the need.
    ({"realtime": True}, "fastapi", 2, "django", 0),
    ({"ai_serving": True}, "fastapi", 2, "flask", 0),
    ({"realtime": True, "ai_serving": True}, "fastapi", 2, "django", 0),
    ({"full_stack": True}, "django", 1, "flask", 0),
    ({"full_stack": True, "realtime": True}, "django", 1, "fastapi", 1),
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


def answer_paths() -> list[dict[str, bool]]:
    """Every way through the questions: the follow-ups of each yes, answered both ways."""
    paths = []
    for values in itertools.product([False, True], repeat=len(KEYS) + len(FOLLOW_UPS)):
        answers = dict(zip([*KEYS, *FOLLOW_UPS], values, strict=True))
        if all(answers[parent] or not answers[key] for key, parent in FOLLOW_UPS.items()):
            paths.append(answers)
    return paths


@pytest.mark.parametrize("answers", answer_paths())
def test_every_answer_path_gives_a_distinct_runner_up_and_an_explanation(answers: dict[str, bool]) -> None:
    result = recommend(answers)
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


def test_a_follow_up_yes_implies_its_question_and_a_no_leaves_its_follow_ups_no() -> None:
    assert complete_answers({"realtime": True})["async_api"] is True
    assert complete_answers({"full_stack": True})["admin_ui"] is True
    assert complete_answers({"async_api": False})["ai_serving"] is False
    with pytest.raises(ValueError, match="--realtime is a kind of --async-api"):
        complete_answers({"realtime": True, "async_api": False})


def test_the_runner_up_fits_the_need() -> None:
    """Not "smallest footprint" for a WebSocket service, nor an admin-less framework's praise for pages."""
    realtime = recommend({"realtime": True})
    assert (realtime.runner_up, "Channels" in realtime.runner_up_reason) == ("django", True)
    assert "footprint" not in realtime.explain()
    assert "Celery" in recommend({"ai_serving": True}).runner_up_reason
    assert "Jinja" in recommend({"full_stack": True}).runner_up_reason


def test_answers_imply_project_defaults() -> None:
    assert recommend({"ai_serving": True}).project_defaults() == {"background_jobs": True}
    assert recommend({"realtime": True}).project_defaults() == {"realtime": True}
    assert recommend({"full_stack": True}).project_defaults() == {"server_pages": True}
    assert recommend({"admin_ui": True}).project_defaults() == {}
    assert recommend({"async_api": True}).project_defaults() == {}
    assert recommend({}).project_defaults() == {}


@pytest.mark.parametrize("width", [40, 60, 80])
def test_the_explanation_wraps_to_the_width(width: int) -> None:
    text = recommend({"admin_ui": True, "async_api": True, "minimal": True}).explain(width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert " ".join(text.split()) == " ".join(recommend({"admin_ui": True, "async_api": True, "minimal": True})
                                               .explain(1000).split())  # fmt: skip


def test_unknown_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown flowchart answer"):
        recommend({"php": True})
