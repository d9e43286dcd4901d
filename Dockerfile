# Event record bot: `docker build -t event-record-bot .`, then
#   docker run -e BOT_TOKEN=123456:ABC... -v bot-data:/var/lib/bot event-record-bot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user that owns the database folder (a new volume inherits this ownership).
RUN groupadd --system --gid 10001 bot \
    && useradd --no-log-init --system --create-home --uid 10001 --gid bot bot \
    && install -d -o bot -g bot -m 0750 /var/lib/bot

WORKDIR /app

# Dependencies first, read from pyproject.toml, so code edits do not reinstall them.
COPY pyproject.toml ./
RUN python -c 'import tomllib; \
        project = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
        print(*project["dependencies"], sep="\n")' > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code runs from /app (`python -m bot`); data/events sits next to it, as settings expect.
COPY bot ./bot
COPY handlers ./handlers
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

CMD ["python", "-m", "bot", "run"]
