#!/usr/bin/env bash
# Brings up the whole BankClientele system on this machine: PostgreSQL and RabbitMQ (installed
# when missing), migrations, demo data, the four services and the portal.
#   ./run.sh            start everything, print the address and sign-ins, stay in the foreground (Ctrl-C stops)
#   ./run.sh --detach   the same, but return once it is up
#   ./run.sh stop       stop everything run.sh started, and nothing else
#   ./run.sh status     what is running
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
RUN_DIR="$ROOT/.data/run"
LOG_DIR="$ROOT/.data/logs"
PUBLISH_DIR="$ROOT/.data/publish"
SERVERS="$ROOT/deploy/local/servers.sh"
APPS=(CustomerCare Acquisition FootTraffic Insights Portal)
declare -A PORTS=([Portal]=5100 [CustomerCare]=5101 [Acquisition]=5102 [FootTraffic]=5103 [Insights]=5104)

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

running_apps() {
  local n=0
  for app in "${APPS[@]}"; do pid_alive "$RUN_DIR/$app.pid" && n=$((n + 1)); done
  echo "$n"
}

print_welcome() {
  cat <<TXT

  BankClientele is up.

  Portal          http://127.0.0.1:5100
  CustomerCare    http://127.0.0.1:5101
  Acquisition     http://127.0.0.1:5102
  FootTraffic     http://127.0.0.1:5103
  Insights        http://127.0.0.1:5104   (Hangfire dashboard: /hangfire, administrators only)
  Logs            .data/logs/
  Staff token     dotnet .data/publish/Cli/bankclientele.dll token --role Administrator --staff-id ADM-001
                  (with Auth__SigningKey from .data/secrets.env), for curl and the Hangfire dashboard

  Demo sign-ins (password for all: Demo@2026!)
    rm.li       relationship manager, 上海陆家嘴支行 (SH001)
    lead.wang   branch lead, 上海陆家嘴支行 (SH001)
    hq.zhao     head office
    admin       administrator

TXT
}

stop_all() {
  local stopped=0
  for app in "${APPS[@]}"; do
    local pidfile="$RUN_DIR/$app.pid"
    if pid_alive "$pidfile"; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      stopped=1
    fi
  done
  # Bounded wait for a graceful shutdown, then force.
  for _ in $(seq 1 100); do
    [[ "$(running_apps)" == 0 ]] && break
    sleep 0.1
  done
  for app in "${APPS[@]}"; do
    pid_alive "$RUN_DIR/$app.pid" && kill -9 "$(cat "$RUN_DIR/$app.pid")" 2>/dev/null || true
    rm -f "$RUN_DIR/$app.pid"
  done
  [[ $stopped == 1 ]] && say "Services and portal stopped."
  if [[ -f "$RUN_DIR/servers.ours" ]]; then
    "$SERVERS" stop
    rm -f "$RUN_DIR/servers.ours"
  fi
}

case "${1:-}" in
  stop) stop_all; exit 0 ;;
  status)
    "$SERVERS" status || true
    for app in "${APPS[@]}"; do
      if pid_alive "$RUN_DIR/$app.pid"; then echo "$app: running (pid $(cat "$RUN_DIR/$app.pid"), port ${PORTS[$app]})"; else echo "$app: stopped"; fi
    done
    exit 0 ;;
  ""|--detach) ;;
  *) echo "usage: ./run.sh [--detach|stop|status]" >&2; exit 2 ;;
esac
DETACH=0; [[ "${1:-}" == "--detach" ]] && DETACH=1

mkdir -p "$RUN_DIR" "$LOG_DIR"
if [[ "$(running_apps)" == "${#APPS[@]}" ]]; then
  say "BankClientele is already up."
  print_welcome
  exit 0
fi

# 1. PostgreSQL and RabbitMQ (installed when missing). Remember whether we started them.
if ! "$SERVERS" status >/dev/null 2>&1; then
  "$SERVERS" start
  touch "$RUN_DIR/servers.ours"
else
  say "PostgreSQL and RabbitMQ are already running."
fi
on_interrupt() {
  trap '' PIPE  # the terminal or a pipe may be gone: stopping must not die writing about it
  echo; say "Stopping..." || true
  stop_all || true
  exit 130
}
trap on_interrupt INT TERM

# 2. A signing key for the staff tokens, made once per checkout and never committed.
if [[ ! -f "$ROOT/.data/secrets.env" ]]; then
  echo "Auth__SigningKey=$(head -c 48 /dev/urandom | base64 -w0)" > "$ROOT/.data/secrets.env"
  chmod 600 "$ROOT/.data/secrets.env"
fi
set -a; source "$ROOT/.data/secrets.env"; set +a

# 3. Build once into .data/publish (published output carries the portal's static assets).
say "Building (dotnet publish)..."
dotnet tool restore >/dev/null
for project in "${APPS[@]}" Cli; do
  dotnet publish "src/BankClientele.$project" -c Release -o "$PUBLISH_DIR/$project" --nologo -v quiet -p:UseAppHost=false >"$LOG_DIR/publish-$project.log" 2>&1 \
    || { cat "$LOG_DIR/publish-$project.log"; exit 1; }
done
CLI=(dotnet "$PUBLISH_DIR/Cli/bankclientele.dll")

# 4. The explicit migrate step (as a deployment's migrate job would run it).
say "Migrating databases..."
"${CLI[@]}" migrate

# 5. The services and the portal, each its own process.
for app in "${APPS[@]}"; do
  pid_alive "$RUN_DIR/$app.pid" && continue
  (cd "$PUBLISH_DIR/$app" && exec setsid dotnet "BankClientele.$app.dll" --urls "http://127.0.0.1:${PORTS[$app]}" >>"$LOG_DIR/$app.log" 2>&1) &
  echo $! > "$RUN_DIR/$app.pid"
done
say "Waiting for the services to be ready..."
"${CLI[@]}" wait-ready --timeout 120

# 6. Demo data through the services' own APIs (skipped when already there).
say "Seeding the demo branch network..."
"${CLI[@]}" seed

print_welcome
if [[ $DETACH == 1 ]]; then
  say "Running in the background; ./run.sh stop stops it."
  exit 0
fi
say "Press Ctrl-C to stop everything."
while [[ "$(running_apps)" != 0 ]]; do sleep 2; done
