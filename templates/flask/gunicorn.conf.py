"""gunicorn settings from the environment: `make serve` and the Docker image both use them."""

import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
# The runtime control socket (gunicornc) is not needed and would be written under $HOME.
control_socket_disable = True
# The worker heartbeat file blocks on disk-backed /tmp (as in containers); keep it in memory.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
