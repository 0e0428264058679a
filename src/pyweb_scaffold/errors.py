"""pyweb's errors: each says in one line what is wrong and, where it can, the fix."""


class PywebError(Exception):
    """A problem with the user's input or environment; the CLI prints it and exits 1."""


class GenerationError(PywebError):
    """`pyweb new` cannot render the project."""


class UpdateError(PywebError):
    """`pyweb update` cannot update the project."""


def one_line(error: BaseException) -> str:
    """The line of a copier, git or file-system error that says what went wrong."""
    stderr = getattr(error, "stderr", None)
    if isinstance(stderr, bytes):
        stderr = stderr.decode(errors="replace")
    lines = [line.strip() for line in (stderr or str(error)).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    return lines[-1] if stderr else lines[0]
