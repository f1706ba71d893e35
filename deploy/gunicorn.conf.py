"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py xiaobao.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("XIAOBAO_BIND", "127.0.0.1:8000")
# Requests mostly wait on the database: two workers per core, plus one.
workers = int(os.environ.get("XIAOBAO_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("XIAOBAO_THREADS", 2))
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("XIAOBAO_FORWARDED_ALLOW_IPS", "127.0.0.1")
