"""Generate and install the pyweb projects that the benchmarks run (shared by serve.py and cli.py)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
FRAMEWORKS = ("fastapi", "django", "flask")


@dataclass(frozen=True)
class Project:
    framework: str
    path: Path

    @property
    def package(self) -> str:
        return self.path.name

    @property
    def bin(self) -> Path:
        return self.path / ".venv" / "bin"


def pyweb_command() -> list[str]:
    """`pyweb` from this interpreter's environment, else the one on PATH."""
    if importlib.util.find_spec("pyweb_scaffold") is not None:
        return [sys.executable, "-m", "pyweb_scaffold"]
    if found := shutil.which("pyweb"):
        return [found]
    sys.exit("pyweb is not installed: run with a Python that has `pip install -e .` of this repo")


def run(argv: list[str], cwd: Path | None = None, timeout: float = 600, env: dict[str, str] | None = None) -> None:
    """Run a setup command, bounded in time; show its output only when it fails."""
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise RuntimeError(f"{' '.join(argv)} failed with exit code {result.returncode}")


def ensure_project(framework: str, workdir: Path, database: str = "sqlite", fresh: bool = False) -> Project:
    """`pyweb new` the framework's project under workdir (once) and `make install` it."""
    project = Project(framework, workdir / f"{framework}svc")
    if fresh and project.path.exists():
        shutil.rmtree(project.path)
    if not (project.path / "Makefile").is_file():
        workdir.mkdir(parents=True, exist_ok=True)
        print(f"[{framework}] pyweb new {project.path}", file=sys.stderr)
        options = ["--framework", framework, "--defaults", "--no-git"]
        answers = ["--data", f"database={database}", "--data", "docker=false"]
        run([*pyweb_command(), "new", str(project.path), *options, *answers], timeout=180)
    if not (project.bin / "python").exists():
        print(f"[{framework}] make install", file=sys.stderr)
        run(["make", "install"], cwd=project.path, timeout=900)
    return project


def pip_install(project: Project, *requirements: str) -> None:
    """Add packages that a server variant needs to the project's .venv (uv when present)."""
    if uv := shutil.which("uv"):
        run([uv, "pip", "install", "--quiet", "--python", str(project.bin / "python"), *requirements])
    else:
        run([str(project.bin / "python"), "-m", "pip", "install", "--quiet", *requirements])
