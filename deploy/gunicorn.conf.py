"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py xiaobao.wsgi`."""

import gc
import multiprocessing
import os

bind = os.environ.get("XIAOBAO_BIND", "127.0.0.1:8000")
# Requests mostly wait on the database: two workers per core, plus one.
workers = int(os.environ.get("XIAOBAO_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("XIAOBAO_THREADS", 2))
worker_class = "gthread"
# Keep an idle connection open longer than a user's pause between two clicks. gunicorn's default of 2 s
# closes it in the middle of the pause, and a request sent just as the server closes it fails with
# "connection reset by peer" on the client (the 6 errors of the first load test, issue 9). A gthread
# worker parks idle connections in its poller, not in a thread, so this costs a socket each. Behind a
# reverse proxy, keep the proxy's upstream keep-alive timeout below this.
keepalive = int(os.environ.get("XIAOBAO_KEEPALIVE", 75))
# Connections a worker keeps open at once (gthread: idle keep-alive ones included).
worker_connections = 1000
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("XIAOBAO_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Python's full garbage collections walk every object of the process (Django's, the compiled templates', the URL
# resolvers'): ~75 ms each on this machine, every dozen heavy pages, which made the inbox's p95 at 1M 128 ms
# against a p50 of 53 (docs/performance.md, "Garbage collection"). Once a worker has served its first requests
# (modules imported, templates compiled, caches filled) those long-lived objects are frozen out of the
# collector's sight; objects of each request are still collected as before.
FREEZE_AFTER_REQUESTS = 20


def post_request(worker, req, environ, resp):
    worker.xiaobao_served = getattr(worker, "xiaobao_served", 0) + 1
    if worker.xiaobao_served == FREEZE_AFTER_REQUESTS:
        gc.freeze()
