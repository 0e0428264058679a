from __future__ import annotations

import keyword
import sys

import pytest
from copier import run_copy

from pyweb_scaffold.names import package_name_problem, reserved_names, suggest_package_name
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("my service", "contains spaces"),
        ("1service", "starts with a digit"),
        ("class", "is reserved"),
        ("django", "is reserved"),
        ("flask", "is reserved"),
        ("test", "is reserved"),
        ("json", "is reserved"),
        ("My-Service", "lower case"),
        ("", "is empty"),
    ],
)
def test_bad_names_say_why(name: str, problem: str) -> None:
    found = package_name_problem(name)
    assert found is not None and problem in found


@pytest.mark.parametrize("name", ["my_service", "orders", "api_v2", "_private"])
def test_good_names_pass(name: str) -> None:
    assert package_name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "fixed"),
    [("my service", "my_service"), ("1service", "service_1service"), ("django", "django_app"), ("class", "class_app")],
)
def test_suggestion_is_valid(name: str, fixed: str) -> None:
    assert suggest_package_name(name) == fixed
    assert package_name_problem(fixed) is None


def test_reserved_list_covers_this_pythons_stdlib_and_keywords() -> None:
    public_stdlib = {name for name in sys.stdlib_module_names if not name.startswith("_")}
    assert public_stdlib <= reserved_names()
    assert set(keyword.kwlist) <= reserved_names()


@pytest.mark.parametrize("name", ["django", "test", "1abc", "my svc", "ok_name"])
def test_copier_validator_agrees_with_pyweb(name: str, tmp_path) -> None:
    """copier.yml's validator and pyweb's check accept and refuse the same names."""
    try:
        run_copy(
            str(REPO_ROOT),
            tmp_path / "out",
            data={"framework": "flask", "package_name": name},
            defaults=True,
            pretend=True,
            quiet=True,
        )
        copier_accepts = True
    except ValueError:
        copier_accepts = False
    assert copier_accepts == (package_name_problem(name) is None)
