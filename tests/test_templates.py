"""Every framework rendered with every option value: clean, valid, and shaped by the answers."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import require

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
}
DEFAULTS = {"database": "postgresql", "docker": True, "ci": "github", "python_version": "3.11", "kubernetes": False}
POSTGRES_DRIVERS = {"fastapi": "asyncpg", "django": "psycopg", "flask": "psycopg"}


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


def rendered_files(project: Path) -> list[Path]:
    return [path for path in project.rglob("*") if path.is_file() and ".git" not in path.relative_to(project).parts]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_render(copie, framework: str, variant: str) -> None:
    answers = {**DEFAULTS, **VARIANTS[variant]}
    result = copie.copy(extra_answers={"framework": framework, "project_name": "demo-service", **answers})
    assert result.exit_code == 0, result.exception
    project = result.project_dir
    files = rendered_files(project)

    for path in files:
        text = path.read_text()
        assert "{{" not in text and "{%" not in text, f"unrendered Jinja in {path.relative_to(project)}"
        if path.suffix in {".yml", ".yaml"}:
            assert yaml.safe_load(text) is not None, path
        if path.suffix == ".toml":
            tomllib.loads(text)

    subprocess.run([tool("ruff"), "check", "--no-cache", "."], cwd=project, check=True)
    subprocess.run([tool("ruff"), "format", "--check", "--no-cache", "."], cwd=project, check=True)

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "demo-service"
    assert pyproject["project"]["requires-python"] == f">={answers['python_version']}"
    dependencies = " ".join(pyproject["project"]["dependencies"])
    assert (POSTGRES_DRIVERS[framework] in dependencies) == (answers["database"] == "postgresql")

    docker_files = [project / name for name in ("Dockerfile", ".dockerignore", "compose.yaml")]
    if answers["docker"]:
        assert all(path.is_file() for path in docker_files)
        dockerfile = (project / "Dockerfile").read_text()
        assert f"ARG PYTHON_VERSION={answers['python_version']}" in dockerfile
        findings = subprocess.run(
            [tool("hadolint"), "--failure-threshold", "warning", "Dockerfile"],
            cwd=project,
            capture_output=True,
            text=True,
        )
        assert findings.returncode == 0, findings.stdout
        check_schema("vendor.compose-spec", project / "compose.yaml")
        compose = yaml.safe_load((project / "compose.yaml").read_text())
        images = [str(service.get("image", "")) for service in compose["services"].values()]
        assert any(image.startswith("postgres:") for image in images) == (answers["database"] == "postgresql")
        ignored = (project / ".dockerignore").read_text().split()
        assert {".env", ".git", ".venv", "tests"} <= {line.strip("/*") for line in ignored}
    else:
        assert not any(path.exists() for path in docker_files)

    github = project / ".github" / "workflows" / "ci.yml"
    gitlab = project / ".gitlab-ci.yml"
    assert github.is_file() == (answers["ci"] == "github")
    assert gitlab.is_file() == (answers["ci"] == "gitlab")
    for ci_file, schema in ((github, "vendor.github-workflows"), (gitlab, "vendor.gitlab-ci")):
        if ci_file.is_file():
            text = ci_file.read_text()
            assert answers["python_version"] in text
            assert ("TEST_DATABASE_URL" in text) == (answers["database"] == "postgresql")
            check_schema(schema, ci_file)

    renovate = project / "renovate.json"
    assert renovate.is_file() == (answers["ci"] != "none")
    if renovate.is_file():
        check_schema("vendor.renovate", renovate)
        assert json.loads(renovate.read_text())["enabledManagers"] == ["copier", "pep621"]

    k8s = project / "k8s"
    assert k8s.is_dir() == (answers["kubernetes"] and answers["database"] == "postgresql")
    if k8s.is_dir():
        manifests = {path.name: yaml.safe_load(path.read_text()) for path in k8s.glob("*.yaml")}
        assert {"deployment.yaml", "service.yaml", "hpa.yaml", "migrate-job.yaml", "kustomization.yaml"} <= set(
            manifests
        )
        container = manifests["deployment.yaml"]["spec"]["template"]["spec"]["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert manifests["deployment.yaml"]["metadata"]["name"] == "demo-service"
        resources = sorted(name for name in manifests if name != "kustomization.yaml")
        subprocess.run([tool("kubernetes-validate"), "--quiet", *resources], cwd=k8s, check=True)
        job = manifests["migrate-job.yaml"]["spec"]["template"]["spec"]["containers"][0]
        compose_migrate = yaml.safe_load((project / "compose.yaml").read_text())["services"]["migrate"]["command"]
        assert job["command"] == compose_migrate

    package = next(path for path in (project / "demo_service", project / "src" / "demo_service") if path.is_dir())
    bandit = subprocess.run(
        [tool("bandit"), "--quiet", "--recursive", "--severity-level", "medium", str(package)],
        capture_output=True,
        text=True,
    )
    assert bandit.returncode == 0, bandit.stdout

    for name in ("README.md", ".env.example", ".gitignore", "Makefile", ".copier-answers.yml"):
        assert (project / name).is_file(), name
    env = (project / ".env").read_text()
    assert "SECRET_KEY=" in env and len(env.split("SECRET_KEY=")[1].split()[0]) >= 32
    assert ".env" in (project / ".gitignore").read_text().split()
