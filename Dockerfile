# Xiaobao in a container: gunicorn on port 8000; DATABASE_URL points at PostgreSQL (or a SQLite file on a volume).
# The background worker (large 12315 imports, clocks recomputed after a calendar publication) is a second container
# of this image with the command `python manage.py db_worker`, the same environment and the same var volume.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 \
      libpangoft2-1.0-0 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/xiaobao
COPY pyproject.toml README.md ./
COPY xiaobao ./xiaobao
COPY manage.py ./
COPY deploy ./deploy
RUN pip install --no-cache-dir '.[prod]' && useradd --system --home /opt/xiaobao xiaobao \
    && mkdir -p /opt/xiaobao/var && chown xiaobao /opt/xiaobao/var
USER xiaobao
ENV XIAOBAO_VAR_DIR=/opt/xiaobao/var XIAOBAO_BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn -c deploy/gunicorn.conf.py xiaobao.wsgi"]
