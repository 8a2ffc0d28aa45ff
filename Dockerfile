FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpq5 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY . .
RUN pip install --no-cache-dir -c constraints.txt .
# manage.py and gunicorn import the sources here in /app, not the installed copy, and with
# PYTHONDONTWRITEBYTECODE set nothing writes their bytecode: compiled once here, or every
# process compiles the whole project again at start-up (issue 11).
RUN python -m compileall -q zerocarbon emissions assessments reports
RUN useradd --create-home zerocarbon && mkdir -p var && chown zerocarbon var
USER zerocarbon
EXPOSE 8000
