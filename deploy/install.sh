#!/usr/bin/env bash
# The first of two commands for a site on a fresh Debian 12 machine (docs/operations.md#a-site-from-nothing):
#   sudo deploy/install.sh          # Debian packages, RabbitMQ's plugins, the virtual environment, the units
#   sudo deploy/up.sh KSN [--hub HUB]
# Run from the checkout that stays installed (e.g. /opt/rongtuk). Running it again changes nothing.
# Settings (environment): RONGTUK_USER (rongtuk) runs the services; RONGTUK_UNITS (/etc/systemd/system)
# takes the units; RONGTUK_ETC and RONGTUK_DATA as for up.sh; RONGTUK_SKIP_SERVERS=1 installs no RabbitMQ
# or PostgreSQL (they are elsewhere). Install under /opt or /srv: the units hide /home (ProtectHome).
set -euo pipefail
HOME_DIR="$(cd "$(dirname "$0")/.." && pwd)"
USER_NAME="${RONGTUK_USER:-rongtuk}"
UNITS="${RONGTUK_UNITS:-/etc/systemd/system}"

say() { echo "install: $*"; }

# 1. Debian packages: Python, Pango and the Thai font for the official documents, the servers
packages=(python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core curl)
if [ -z "${RONGTUK_SKIP_SERVERS:-}" ]; then packages+=(rabbitmq-server postgresql); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  say "Debian packages already there"
fi

# 2. the broker's plugins: the management API (site init, doctor, links' metrics) and federation
if [ -z "${RONGTUK_SKIP_SERVERS:-}" ]; then
  if ! rabbitmqctl status >/dev/null 2>&1; then
    if [ -d /run/systemd/system ]; then systemctl start rabbitmq-server; else rabbitmq-server -detached; fi
    for _ in $(seq 1 120); do rabbitmqctl status >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  rabbitmq-plugins enable rabbitmq_management rabbitmq_federation rabbitmq_federation_management >/dev/null
  if ! pg_isready -q 2>/dev/null; then
    if [ -d /run/systemd/system ]; then systemctl start postgresql
    else pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start; fi
  fi
  say "RabbitMQ (with management and federation) and PostgreSQL running"
fi

# 3. the user the services run as, and the virtual environment (runtime dependencies only)
if ! id "$USER_NAME" >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/rongtuk --shell /usr/sbin/nologin "$USER_NAME"
  say "made the system user $USER_NAME"
fi
if [ ! -x "$HOME_DIR/.venv/bin/python" ]; then
  python3 -m venv "$HOME_DIR/.venv"
fi
"$HOME_DIR/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$HOME_DIR/requirements.txt"
"$HOME_DIR/.venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -e "$HOME_DIR"
say "virtual environment ready: $HOME_DIR/.venv/bin/rongtuk"

# 4. the units, pointing at this checkout
mkdir -p "$UNITS"
for unit in rongtuk@.service rongtuk.target; do
  sed -e "s#/opt/rongtuk#$HOME_DIR#g" -e "s#/etc/rongtuk#${RONGTUK_ETC:-/etc/rongtuk}#g" \
      -e "s#/var/lib/rongtuk#${RONGTUK_DATA:-/var/lib/rongtuk}#g" \
      -e "s#^User=rongtuk#User=$USER_NAME#" -e "s#^Group=rongtuk#Group=$USER_NAME#" \
    "$HOME_DIR/deploy/systemd/$unit" > "$UNITS/$unit.new"
  if cmp -s "$UNITS/$unit.new" "$UNITS/$unit"; then rm "$UNITS/$unit.new"; else mv "$UNITS/$unit.new" "$UNITS/$unit"; fi
done
if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
say "units in $UNITS; next: deploy/up.sh SITE_ID"
