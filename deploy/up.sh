#!/usr/bin/env bash
# The second of two commands (docs/operations.md#a-site-from-nothing): the site's configuration,
# databases, vhost and migrations (`rongtuk site init`, which keeps whatever is there), then its five
# services, then `rongtuk doctor`.
#   sudo deploy/up.sh KSN [--hub HUB]
# Settings (environment): RONGTUK_ETC (/etc/rongtuk), RONGTUK_DATA (/var/lib/rongtuk), RONGTUK_FIRST_PORT
# (8000: intake, then routing, sla, notify, reporting), RONGTUK_USER (rongtuk), RONGTUK_BROKER and
# RONGTUK_POSTGRES (the servers as an administrator; default: this machine's, as install.sh set them up),
# RONGTUK_VHOST. Without systemd (a container), the services start as background processes logging to
# RONGTUK_DATA/logs, and `deploy/up.sh --stop` stops them.
set -euo pipefail
HOME_DIR="$(cd "$(dirname "$0")/.." && pwd)"
ETC="${RONGTUK_ETC:-/etc/rongtuk}"
DATA="${RONGTUK_DATA:-/var/lib/rongtuk}"
USER_NAME="${RONGTUK_USER:-rongtuk}"
RONGTUK="$HOME_DIR/.venv/bin/rongtuk"
SERVICES=(intake routing sla notify reporting)

say() { echo "up: $*"; }
systemd() { [ -d /run/systemd/system ] && [ -z "${RONGTUK_NO_SYSTEMD:-}" ]; }

if [ "${1:-}" = "--stop" ]; then  # SIGTERM (each finishes its work), and SIGKILL for one still there after 30 s
  pids=()
  for file in "$DATA"/run/*.pid; do
    [ -e "$file" ] || continue
    pid="$(cat "$file")"; rm -f "$file"
    kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  for _ in $(seq 1 60); do
    alive=(); for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    [ ${#alive[@]} -eq 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  say "stopped"; exit 0
fi
SITE_ID="${1:?usage: deploy/up.sh SITE_ID [--hub HUB], or deploy/up.sh --stop}"; shift
HUB=""
if [ "${1:-}" = "--hub" ]; then HUB="${2:?--hub needs the site id of the hub}"; fi

# the servers as an administrator: on this machine, as install.sh set them up
reachable() { "$HOME_DIR/.venv/bin/python" -c "import psycopg2; psycopg2.connect('$1')" 2>/dev/null; }
if [ -z "${RONGTUK_POSTGRES:-}" ] && [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 \
   && ! reachable "postgresql://postgres@127.0.0.1/postgres"; then
  # a fresh Debian PostgreSQL trusts its postgres user over the local socket only: run init as that user
  AS_POSTGRES=1
fi
init=(site init --site-id "$SITE_ID" --folder "$ETC" --data "$DATA" --systemd "$ETC"
      --first-port "${RONGTUK_FIRST_PORT:-8000}" --broker "${RONGTUK_BROKER:-amqp://guest:guest@127.0.0.1:5672/}")
[ -n "${RONGTUK_POSTGRES:-}" ] && init+=(--postgres "$RONGTUK_POSTGRES")
[ -n "${RONGTUK_VHOST:-}" ] && init+=(--vhost "$RONGTUK_VHOST")
[ -n "$HUB" ] && init+=(--hub "$HUB")
if [ -n "${AS_POSTGRES:-}" ]; then
  mkdir -p "$ETC" "$DATA" && chown -R postgres "$ETC" "$DATA"   # given back below
  runuser -u postgres -- "$RONGTUK" "${init[@]}" --postgres "postgresql:///postgres?host=/var/run/postgresql"
else
  "$RONGTUK" "${init[@]}"
fi
if id "$USER_NAME" >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  chown -R "root:$USER_NAME" "$ETC" && chmod 750 "$ETC"
  chown "$USER_NAME" "$ETC/secrets.yml" "$ETC/keys" "$ETC/keys/seal.key"
  chown -R "$USER_NAME:$USER_NAME" "$DATA"
fi

# the services
export RONGTUK_CONFIG="$ETC/site.yml"
if systemd; then
  for service in "${SERVICES[@]}"; do systemctl enable --now "rongtuk@$service-1.service"; done
  systemctl enable rongtuk.target
else
  mkdir -p "$DATA/logs" "$DATA/run"
  for service in "${SERVICES[@]}"; do
    pid="$DATA/run/$service-1.pid"
    if [ -e "$pid" ] && kill -0 "$(cat "$pid")" 2>/dev/null; then continue; fi
    as=()  # as the services' user, not as root
    if [ "$(id -u)" = 0 ] && [ "$USER_NAME" != root ] && id "$USER_NAME" >/dev/null 2>&1; then
      as=(runuser -u "$USER_NAME" --); chown -R "$USER_NAME" "$DATA/logs"
    fi
    ( set -a; . "$ETC/rongtuk.env"; . "$ETC/instances/$service-1.env"; set +a
      exec "${as[@]}" "$RONGTUK" run --no-migrate "$RONGTUK_SERVICE" ) >> "$DATA/logs/$service-1.log" 2>&1 &
    echo $! > "$pid"
  done
fi
say "services started; waiting for each to answer"

# doctor, until everything answers (a minute at most)
for _ in $(seq 1 60); do
  if "$RONGTUK" doctor >/dev/null 2>&1; then break; fi
  sleep 1
done
"$RONGTUK" doctor
intake="$(awk -F= '/WEB_SERVER_ADDRESS/{print $2}' "$ETC/instances/intake-1.env")"
say "site $SITE_ID is up: the portal at http://$intake/"
