"""The `pyweb` command: new, recommend, update."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from pyweb_scaffold import __version__
from pyweb_scaffold.flowchart import FRAMEWORKS, QUESTIONS, Recommendation, complete_answers, recommend


def _is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask_flowchart(given: dict[str, bool | None]) -> dict[str, bool]:
    """Ask the flowchart questions the flags left open."""
    import questionary

    answers: dict[str, bool] = {}
    for question in QUESTIONS:
        value = given.get(question.key)
        if value is None and question.follows and not answers[question.follows]:
            continue  # a follow-up of a no
        if value is None:
            text = f"  {question.text}" if question.follows else question.text  # a follow-up sits under its question
            value = questionary.confirm(text, default=question.default).unsafe_ask()
        answers[question.key] = value
    return answers


def _flowchart_answers(given: dict[str, bool | None], interactive: bool) -> dict[str, bool]:
    answers = {key: value for key, value in given.items() if value is not None}
    try:
        complete_answers(answers)  # refuses a follow-up's yes with its question's no
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if interactive:
        # A follow-up's yes answers its question.
        implied = {question.follows: True for question in QUESTIONS if question.follows and answers.get(question.key)}
        return _ask_flowchart({**implied, **given} if implied else given)
    return answers


def _terminal_width() -> int:
    import shutil

    return min(shutil.get_terminal_size().columns, 100)


def _choose_framework(recommendation: Recommendation) -> str:
    import questionary

    from pyweb_scaffold.template_source import framework_names

    names = framework_names()
    order = [recommendation.framework, recommendation.runner_up]
    order += [name for name in FRAMEWORKS if name not in order]
    labels = {
        recommendation.framework: "(recommended)",
        recommendation.runner_up: "(runner-up)",
    }
    choices = [questionary.Choice(f"{names[name]} {labels.get(name, '')}".strip(), value=name) for name in order]
    return questionary.select("Framework", choices=choices, default=choices[0]).unsafe_ask()


def _parse_data(items: tuple[str, ...], data_file: Path | None) -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = {}
    if data_file is not None:
        try:
            loaded = yaml.safe_load(data_file.read_text())
        except yaml.YAMLError as error:
            raise click.UsageError(f"--data-file {data_file} is not valid YAML: {error}".splitlines()[0]) from None
        if not isinstance(loaded, dict):
            raise click.UsageError(f"--data-file {data_file} must hold a mapping of question: answer")
        data.update(loaded)
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--data {item!r} is not KEY=VALUE")
        data[key.strip()] = value
    return data


class _Pyweb(click.Group):
    """Every command's PywebError becomes its one-line message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from pyweb_scaffold.errors import PywebError

        try:
            return super().invoke(ctx)
        except PywebError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=_Pyweb, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pyweb")
def main() -> None:
    """Recommend FastAPI, Django or Flask, and generate a production-ready project for it.

    Generated projects keep one HTTP contract whatever the framework, and can be brought
    up to date later with `pyweb update` or plain `copier update`.
    """


def _flag_of(key: str) -> str:
    return next(question.flag for question in QUESTIONS if question.key == key)


def _flowchart_options(command: Any) -> Any:
    for question in reversed(QUESTIONS):
        command = click.option(
            f"--{question.flag}/--no-{question.flag}",
            question.key,
            default=None,
            help=f"{question.text} (default: {'yes' if question.default else 'no'}"
            + (f"; yes implies --{_flag_of(question.follows)})" if question.follows else ")"),
        )(command)
    return command


@main.command("recommend")
@_flowchart_options
@click.option("--json", "as_json", is_flag=True, help="Print the recommendation as JSON.")
def recommend_command(as_json: bool, **given: bool | None) -> None:
    """Run the framework decision flowchart and explain its recommendation.

    On a terminal, questions not given as flags are asked; otherwise they take their
    defaults. The first rule that fires decides; later rules that fire for another
    framework are reported as conflicts.
    """
    answers = _flowchart_answers(given, interactive=_is_interactive() and not as_json)
    result = recommend(answers)
    if as_json:
        import json  # only here: it would cost every other command start-up time

        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(result.explain(_terminal_width()))


@main.command("new")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--framework",
    type=click.Choice(FRAMEWORKS),
    help="Skip the flowchart and use this framework.",
)
@click.option("--defaults", is_flag=True, help="Ask nothing: the recommended or default answer everywhere.")
@click.option(
    "--data",
    "data_items",
    multiple=True,
    metavar="KEY=VALUE",
    help="Answer a project question (repeatable), e.g. --data database=sqlite.",
)
@click.option(
    "--data-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A YAML file of question: answer pairs (--data wins over it).",
)
@click.option("--template", "template_src", metavar="SRC", help="Render from this git URL or path (a team's fork).")
@click.option("--vcs-ref", metavar="REF", help="Git tag, branch or commit of --template to render.")
@click.option("--git/--no-git", default=True, help="Create a git repository with an initial commit (default: yes).")
@_flowchart_options
def new_command(
    path: Path,
    framework: str | None,
    defaults: bool,
    data_items: tuple[str, ...],
    data_file: Path | None,
    template_src: str | None,
    vcs_ref: str | None,
    git: bool,
    **given: bool | None,
) -> None:
    """Create a new project in PATH (a new or empty folder).

    Without --framework, the decision flowchart recommends one and you can accept it or
    pick another; then the project questions follow. The flowchart's answers (as asked, or
    as the same flags `pyweb recommend` takes) become the defaults of the project questions
    they imply (--realtime: realtime, --full-stack: server_pages for Django, --ai-serving:
    background_jobs). With --defaults nothing is asked.
    """
    from pyweb_scaffold import generate

    destination = path.expanduser().absolute()
    data = _parse_data(data_items, data_file)
    _check_new_options(data, framework, template_src, vcs_ref)
    interactive = not defaults
    if interactive and not _is_interactive():
        raise click.UsageError("no terminal to ask questions on; pass --defaults (with --framework/--data) instead")
    generate.check_destination(destination)  # before any question, so no answer is asked for nothing
    chosen = framework or data.get("framework")
    # With the framework chosen, only the flags given speak; otherwise the flowchart asks the rest.
    recommendation = recommend(_flowchart_answers(given, interactive and chosen is None))
    if chosen is None and interactive:
        click.echo(recommendation.explain(_terminal_width()))
        chosen = _choose_framework(recommendation)
    data["framework"] = chosen or recommendation.framework
    suggested: dict[str, bool] = {}
    if not template_src:
        suggested, not_offered = generate.asked_for(data, recommendation.project_defaults())
        from pyweb_scaffold.template_source import framework_names

        name = framework_names()[data["framework"]]
        for question in not_offered:
            click.echo(f"Warning: {name} projects have no {question} option; your answer cannot carry over", err=True)

    project = generate.NewProject(
        destination=destination,
        data=data,
        defaults=defaults,
        template=template_src,
        vcs_ref=vcs_ref,
        git=git,
        # A team's fork is left to its own defaults.
        suggested=suggested,
    )
    answers = generate.create(project, warn=lambda message: click.echo(f"Warning: {message}", err=True))
    _print_next_steps(data["framework"], destination, path, worker=bool(answers.get("background_jobs")))


def _check_new_options(data: dict[str, Any], framework: str | None, template: str | None, vcs_ref: str | None) -> None:
    from pyweb_scaffold import generate

    if template is None:
        generate.check_data(data)
    if vcs_ref and not template:
        raise click.UsageError("--vcs-ref goes with --template")
    if framework and data.get("framework", framework) != framework:
        raise click.UsageError("--framework and --data framework disagree")
    chosen = framework or data.get("framework")
    if chosen is not None and chosen not in FRAMEWORKS:
        raise click.UsageError(f"unknown framework {chosen!r}; choose one of {', '.join(FRAMEWORKS)}")


def _print_next_steps(framework: str, destination: Path, path: Path, *, worker: bool) -> None:
    from pyweb_scaffold.template_source import framework_names

    click.echo(f"\nCreated a {framework_names()[framework]} project in {destination}\n")
    click.echo("Next steps:")
    steps = [f"cd {path}", "make install", "make migrate", "make test", "make dev"]
    if worker:
        steps.append("make worker    (in another terminal, with Redis at REDIS_URL)")
    for step in steps:
        click.echo(f"  {step}")


@main.command("update")
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--defaults/--ask", default=True, help="Keep earlier answers and default new questions (default), or ask."
)
@click.option("--vcs-ref", metavar="REF", help="Update to this template tag or commit instead of the newest.")
@click.option(
    "--data",
    "data_items",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change an earlier answer during the update (repeatable), e.g. --data kubernetes=true.",
)
@click.option("--pretend", is_flag=True, help="Show what the update would do, change nothing.")
@click.option(
    "--conflict",
    type=click.Choice(["inline", "rej"]),
    default="inline",
    help="Show conflicts as inline markers (default) or .rej files.",
)
def update_command(
    path: Path, defaults: bool, vcs_ref: str | None, data_items: tuple[str, ...], pretend: bool, conflict: str
) -> None:
    """Bring the project in PATH up to the newest template pyweb carries.

    Makes sure the template version of the installed pyweb is in the local template
    store, then runs `copier update`, which keeps your edits and marks real conflicts.
    Lists the files it changed; exits non-zero while conflicts remain.
    """
    from pyweb_scaffold import generate, update

    data = _parse_data(data_items, None)
    generate.check_data(data)
    result = update.update_project(
        path, defaults=defaults, vcs_ref=vcs_ref, conflict=conflict, data=data, pretend=pretend
    )
    if pretend:
        click.echo(f"Pretended the update from {result.before}; nothing was changed.")
        return
    if result.before == result.after and not result.changed:
        click.echo(f"Already on the newest template ({result.after}).")
        return
    click.echo(f"Updated the template: {result.before} -> {result.after}")
    for name in result.changed:
        click.echo(f"  {'conflict' if name in result.conflicts else 'changed '}  {name}")
    if result.conflicts:
        raise click.ClickException(
            f"{len(result.conflicts)} file(s) in conflict: resolve the markers"
            f"{' and the .rej files' if conflict == 'rej' else ''}, then commit"
        )
    click.echo("Review with `git diff`, then commit.")


@main.group("add")
def add_group() -> None:
    """Add code to the generated project in the current folder."""


@add_group.command("resource")
@click.argument("name")
@click.argument("fields", nargs=-1, required=True, metavar="FIELD:TYPE...")
@click.option("--dry-run", is_flag=True, help="List the files it would write, write nothing.")
def add_resource_command(name: str, fields: tuple[str, ...], dry_run: bool) -> None:
    """Add a resource NAME owned by users, with its model, migration, API at /api/v1/<plural> and tests.

    \b
    Types: str (1-200 characters; str:N for another maximum), text (10,000), int,
    float, decimal (12 digits, 2 after the point), bool, date, datetime (with a
    timezone), email, url; TYPE? makes the field optional (null when left out);
    NAME:ref refers to one of the user's own NAME resources (NAME_id in JSON).
    Example: pyweb add resource task title:str notes:text? project:ref
    """
    from pyweb_scaffold import add_resource

    add_resource.add(Path.cwd(), name, fields, dry_run=dry_run, echo=click.echo)
