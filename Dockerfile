# Event record bot: `docker build -t event-record-bot .`, then
#   docker run -e BOT_TOKEN=123456:ABC... -v bot-data:/var/lib/bot event-record-bot
# Two stages: the build stage installs the exact versions of requirements.lock into a venv;
# the runtime stage gets that venv and the code, no pip caches or build tools.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
# Dependencies first (their own layer): code edits do not reinstall them.
COPY pyproject.toml requirements.lock ./
RUN python -c 'import tomllib; \
        project = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
        print(*project["dependencies"], sep="\n")' > /tmp/requirements.txt \
    && /opt/venv/bin/pip install -c requirements.lock -r /tmp/requirements.txt
COPY README.md ./
COPY bot ./bot
COPY handlers ./handlers
RUN /opt/venv/bin/pip install --no-deps .

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH

# An unprivileged user that owns the database folder (a new volume inherits this ownership).
RUN groupadd --system --gid 10001 bot \
    && useradd --no-log-init --system --create-home --uid 10001 --gid bot bot \
    && install -d -o bot -g bot -m 0750 /var/lib/bot

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Event files sit where settings expect them; mount over them to edit without a rebuild.
COPY data/events ./data/events

# LISTEN: in a container the webhook server must accept connections from outside it.
ENV DATABASE_PATH=/var/lib/bot/bot.db \
    EVENTS_PATH=/app/data/events \
    LISTEN=0.0.0.0
VOLUME /var/lib/bot

# Numeric, so the runtime can check it is not root without reading /etc/passwd.
USER 10001:10001

# Only used in webhook mode (WEBHOOK_URL set); long polling needs no open port.
EXPOSE 8443

# The running bot writes a heartbeat beside the database; `health` reads it (both modes).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["event-record-bot", "health"]

CMD ["event-record-bot", "run"]
