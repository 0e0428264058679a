"""Django's PostgreSQL backend, made safe against a frozen server (see `base.py`)."""
