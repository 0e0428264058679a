"""pyweb-scaffold: recommend FastAPI, Django or Flask and generate a production-ready project."""

# The single source of the version: hatch reads it at build time, and it names the
# template store's tags (see template_source.py).
__version__ = "0.2.0"
