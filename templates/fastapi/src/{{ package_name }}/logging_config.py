"""Process-wide logging: JSON lines in production, readable lines elsewhere.

Uvicorn's own loggers (`uvicorn.error`, `uvicorn.access`) get the same handler, so that a
production log stream is JSON from end to end. Uvicorn writes its access log only when
`uvicorn.access` has a handler: without `access_log` it has none.
"""

import logging.config

from pythonjsonlogger.core import RESERVED_ATTRS


def configure_logging(level: str, *, as_json: bool, access_log: bool = False) -> None:
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
                "uvicorn": {"handlers": [], "propagate": True},
                "uvicorn.error": {"handlers": [], "propagate": True},
                "uvicorn.access": {"handlers": [], "propagate": access_log},
            },
        }
    )
