"""pyweb-scaffold: recommend FastAPI, Django or Flask and generate a production-ready project."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pyweb-scaffold")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
