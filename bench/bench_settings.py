"""Settings for the benchmarks only: the application's, plus a floor endpoint (bench_urls.py)."""

from xiaobao.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
