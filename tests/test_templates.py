"""Every framework rendered with every option value: clean, valid, and shaped by the answers.

Each project is rendered once per module (`rendered`); each test checks one concern on the
renders it applies to.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy

from tests.conftest import REPO_ROOT, require

FRAMEWORKS = ("fastapi", "django", "flask")
VARIANTS: dict[str, dict[str, object]] = {
    "defaults": {},
    "sqlite": {"database": "sqlite"},
    "no-docker": {"docker": False},
    "gitlab": {"ci": "gitlab"},
    "no-ci": {"ci": "none"},
    "py312": {"python_version": "3.12"},
    "py313": {"python_version": "3.13"},
    "kubernetes": {"kubernetes": True},
    "sqlite-kubernetes": {"database": "sqlite", "kubernetes": True},
    "jobs-kubernetes": {"background_jobs": True, "kubernetes": True},
    "sqlite-jobs-gitlab": {"database": "sqlite", "background_jobs": True, "ci": "gitlab"},
    "metrics-kubernetes": {"metrics": True, "kubernetes": True},
    "realtime-kubernetes": {"realtime": True, "kubernetes": True},
    "sqlite-realtime-jobs-gitlab": {"database": "sqlite", "realtime": True, "background_jobs": True, "ci": "gitlab"},
    "server-pages": {"server_pages": True},
}
# The options copier.yml asks only for some frameworks.
OFFERED = {"realtime": ("fastapi", "django"), "server_pages": ("django",)}
DEFAULTS = {
    "database": "postgresql", "docker": True, "ci": "github", "python_version": "3.11", "kubernetes": False,
    "background_jobs": False, "realtime": False, "server_pages": False, "metrics": False,
}  # fmt: skip
POSTGRES_DRIVERS = {"fastapi": "asyncpg", "django": "psycopg", "flask": "psycopg"}
K8S_MANIFESTS = {"deployment.yaml", "service.yaml", "hpa.yaml", "migrate-job.yaml", "kustomization.yaml"}


def answers_of(variant: str) -> dict[str, Any]:
    return {**DEFAULTS, **VARIANTS[variant]}


def cases(keep: Callable[[dict[str, Any]], bool] = lambda answers: True) -> list[Any]:
    """(framework, variant) pairs whose answers `keep` accepts, with readable test ids."""
    return [
        pytest.param(framework, variant, id=f"{framework}-{variant}")
        for framework in FRAMEWORKS
        for variant in VARIANTS
        if keep(answers_of(variant)) and offered(framework, answers_of(variant))
    ]


def offered(framework: str, answers: dict[str, Any]) -> bool:
    return all(framework in frameworks for option, frameworks in OFFERED.items() if answers[option])


def uses_redis(answers: dict[str, Any]) -> bool:
    return bool(answers["background_jobs"] or answers["realtime"])


@dataclass(frozen=True)
class Project:
    path: Path
    framework: str
    answers: dict[str, Any]

    def read(self, name: str) -> str:
        return (self.path / name).read_text()

    @property
    def package(self) -> Path:
        return next(path for path in (self.path / "demo_service", self.path / "src" / "demo_service") if path.is_dir())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Project]:
    """Renders (framework, variant) with plain copier from this checkout, once per module."""
    projects: dict[tuple[str, str], Project] = {}

    def render(framework: str, variant: str) -> Project:
        if (framework, variant) not in projects:
            answers = answers_of(variant)
            destination = tmp_path_factory.mktemp(f"{framework}-{variant}")
            run_copy(
                str(REPO_ROOT),
                destination,
                data={"framework": framework, "project_name": "demo-service", **answers},
                defaults=True,
                vcs_ref="HEAD",  # this checkout, uncommitted changes included
                quiet=True,
                unsafe=False,
            )
            projects[framework, variant] = Project(destination, framework, answers)
        return projects[framework, variant]

    return render


def tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not on PATH (pip install -e '.[dev]')")
    assert path
    return path


def check_schema(schema: str, path: Path) -> None:
    """Validate against a schema that check-jsonschema bundles, so no network is needed."""
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_every_file_is_rendered_and_parses(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    for path in project.path.rglob("*"):
        if not path.is_file() or ".git" in path.relative_to(project.path).parts:
            continue
        text = path.read_text()
        if path.suffix == ".html" and "templates" in path.parts:
            # A Django template (server_pages): its tags look like Jinja's, and must stay.
            continue
        assert "{{" not in text and "{%" not in text, f"unrendered Jinja in {path.relative_to(project.path)}"
        if path.suffix in {".yml", ".yaml"}:
            assert yaml.safe_load(text) is not None, path
        if path.suffix == ".toml":
            tomllib.loads(text)


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_the_code_is_ruff_clean(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    subprocess.run([tool("ruff"), "check", "--no-cache", "."], cwd=project.path, check=True)
    subprocess.run([tool("ruff"), "format", "--check", "--no-cache", "."], cwd=project.path, check=True)


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_the_package_has_no_medium_bandit_finding(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    bandit = subprocess.run(
        [tool("bandit"), "--quiet", "--recursive", "--severity-level", "medium", str(project.package)],
        capture_output=True,
        text=True,
    )
    assert bandit.returncode == 0, bandit.stdout


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_pyproject_names_the_project_its_python_and_only_the_chosen_database_driver(
    rendered, framework: str, variant: str
) -> None:
    project = rendered(framework, variant)
    pyproject = tomllib.loads(project.read("pyproject.toml"))
    assert pyproject["project"]["name"] == "demo-service"
    assert pyproject["project"]["requires-python"] == f">={project.answers['python_version']}"
    dependencies = " ".join(pyproject["project"]["dependencies"])
    assert (POSTGRES_DRIVERS[framework] in dependencies) == (project.answers["database"] == "postgresql")


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_every_project_has_its_readme_makefile_env_example_gitignore_and_answers(
    rendered, framework: str, variant: str
) -> None:
    project = rendered(framework, variant)
    for name in ("README.md", ".env.example", ".gitignore", "Makefile", ".copier-answers.yml"):
        assert (project.path / name).is_file(), name


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_env_holds_a_random_secret_key_and_is_git_ignored(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    secret = project.read(".env").split("SECRET_KEY=")[1].split()[0]
    assert len(secret) >= 32
    other = rendered(framework, "sqlite" if variant == "defaults" else "defaults")
    assert secret not in other.read(".env")  # a new key for every project
    assert ".env" in project.read(".gitignore").split()


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_docker_files_exist_only_when_asked_for(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    for name in ("Dockerfile", ".dockerignore", "compose.yaml"):
        assert (project.path / name).is_file() == project.answers["docker"], name


@pytest.mark.parametrize(("framework", "variant"), cases(lambda answers: answers["docker"]))
def test_dockerfile_passes_hadolint_on_the_chosen_python(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    assert f"ARG PYTHON_VERSION={project.answers['python_version']}" in project.read("Dockerfile")
    findings = subprocess.run(
        [tool("hadolint"), "--failure-threshold", "warning", "Dockerfile"],
        cwd=project.path,
        capture_output=True,
        text=True,
    )
    assert findings.returncode == 0, findings.stdout


@pytest.mark.parametrize(("framework", "variant"), cases(lambda answers: answers["docker"]))
def test_dockerignore_keeps_secrets_git_venv_and_tests_out_of_the_image(rendered, framework: str, variant: str) -> None:
    ignored = rendered(framework, variant).read(".dockerignore").split()
    assert {".env", ".git", ".venv", "tests"} <= {line.strip("/*") for line in ignored}


@pytest.mark.parametrize(("framework", "variant"), cases(lambda answers: answers["docker"]))
def test_compose_is_valid_and_runs_postgres_only_for_postgresql(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    check_schema("vendor.compose-spec", project.path / "compose.yaml")
    services = yaml.safe_load(project.read("compose.yaml"))["services"]
    images = [str(service.get("image", "")) for service in services.values()]
    assert any(image.startswith("postgres:") for image in images) == (project.answers["database"] == "postgresql")


@pytest.mark.parametrize(("framework", "variant"), cases(lambda answers: answers["docker"]))
def test_compose_runs_redis_and_the_worker_only_when_needed_and_always_catches_mail(
    rendered, framework: str, variant: str
) -> None:
    project = rendered(framework, variant)
    services = yaml.safe_load(project.read("compose.yaml"))["services"]
    jobs = project.answers["background_jobs"]
    assert ("worker" in services) == jobs
    assert ("redis" in services) == uses_redis(project.answers)
    if uses_redis(project.answers):
        assert services["app"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert services["mailpit"]["ports"] == ["8025:8025"]
    assert services["app"]["environment"]["SMTP_URL"] == "${SMTP_URL:-smtp://mailpit:1025}"
    if jobs:
        assert services["worker"]["command"][0] in ("celery", "python")
        assert services["worker"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert "ports" not in services["worker"]


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_ci_runs_on_the_chosen_provider_python_and_database(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    github = project.path / ".github" / "workflows" / "ci.yml"
    gitlab = project.path / ".gitlab-ci.yml"
    assert github.is_file() == (project.answers["ci"] == "github")
    assert gitlab.is_file() == (project.answers["ci"] == "gitlab")
    for ci_file, schema in ((github, "vendor.github-workflows"), (gitlab, "vendor.gitlab-ci")):
        if ci_file.is_file():
            text = ci_file.read_text()
            assert project.answers["python_version"] in text
            assert ("TEST_DATABASE_URL" in text) == (project.answers["database"] == "postgresql")
            assert ("TEST_REDIS_URL" in text) == uses_redis(project.answers)
            check_schema(schema, ci_file)


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_renovate_comes_with_ci_and_updates_from_the_template(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    renovate = project.path / "renovate.json"
    assert renovate.is_file() == (project.answers["ci"] != "none")
    if renovate.is_file():
        check_schema("vendor.renovate", renovate)
        assert json.loads(renovate.read_text())["enabledManagers"] == ["copier", "pep621"]


@pytest.mark.parametrize(("framework", "variant"), cases())
def test_kubernetes_manifests_come_only_with_kubernetes_and_postgresql(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    wanted = project.answers["kubernetes"] and project.answers["database"] == "postgresql"
    assert (project.path / "k8s").is_dir() == wanted


def container_image(manifests: dict[str, Any]) -> str:
    return manifests["deployment.yaml"]["spec"]["template"]["spec"]["containers"][0]["image"]


@pytest.mark.parametrize(
    ("framework", "variant"), cases(lambda answers: answers["kubernetes"] and answers["database"] == "postgresql")
)
def test_kubernetes_manifests_validate_and_probe_health_and_ready(rendered, framework: str, variant: str) -> None:
    project = rendered(framework, variant)
    k8s = project.path / "k8s"
    manifests = {path.name: yaml.safe_load(path.read_text()) for path in k8s.glob("*.yaml")}
    assert set(manifests) >= K8S_MANIFESTS
    jobs = project.answers["background_jobs"]
    assert ("worker.yaml" in manifests) == jobs
    assert ("worker.yaml" in manifests["kustomization.yaml"]["resources"]) == jobs
    if jobs:
        worker = manifests["worker.yaml"]["spec"]["template"]["spec"]["containers"][0]
        assert worker["image"] == container_image(manifests)
        assert worker["command"][0] in ("celery", "python")
    assert manifests["deployment.yaml"]["metadata"]["name"] == "demo-service"
    scaled_on = [
        metric.get("pods", {}).get("metric", {}).get("name") for metric in manifests["hpa.yaml"]["spec"]["metrics"]
    ]
    annotations = manifests["deployment.yaml"]["spec"]["template"]["metadata"].get("annotations", {})
    if project.answers["metrics"]:
        assert "http_server_active_requests" in scaled_on  # next to the CPU target
        assert annotations["prometheus.io/path"] == "/metrics"
        assert "prometheus-adapter" in (k8s / "README.md").read_text()
    else:
        assert scaled_on == [None] and not annotations
    container = manifests["deployment.yaml"]["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    resources = sorted(name for name in manifests if name != "kustomization.yaml")
    subprocess.run([tool("kubernetes-validate"), "--quiet", *resources], cwd=k8s, check=True)
