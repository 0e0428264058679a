"""Process-wide logging: JSON lines in production, readable lines elsewhere.

Uvicorn's own loggers (`uvicorn.error`, `uvicorn.access`) get the same handler, so that a
production log stream is JSON from end to end.
"""

import logging.config

from pythonjsonlogger.core import RESERVED_ATTRS


def configure_logging(level: str, *, as_json: bool) -> None:
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # Uvicorn adds a copy of some messages with terminal colours; JSON needs neither.
            "reserved_attrs": [*RESERVED_ATTRS, "color_message"],
        }
        if as_json
        else {"format": "%(asctime)s %(levelname)s [%(name)s] %(message)s"}
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"default": formatter},
            "handlers": {
                "console": {"class": "logging.StreamHandler", "formatter": "default"},
            },
            "root": {"level": level, "handlers": ["console"]},
            "loggers": {
                name: {"handlers": [], "propagate": True}
                for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
            },
        }
    )
