#!/usr/bin/env bash
# Local PostgreSQL 15 and RabbitMQ for BankClientele, data under .data/ of the checkout.
#   servers.sh install [--with-browser]   apt-install what is missing (and Chromium for browser tests)
#   servers.sh start | stop | status      both servers (start installs first; both are idempotent)
#   servers.sh reachable                  exit 0 when both answer on our ports, whoever runs them
#   servers.sh start-rabbitmq | stop-rabbitmq
#   servers.sh rabbitmqctl ARGS...        rabbitmqctl against our node
# Only our own servers are touched: PostgreSQL by its data folder, RabbitMQ by its node name.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA="$ROOT/.data"
PG_BIN=/usr/lib/postgresql/15/bin
PG_DATA="$DATA/postgres"
PG_PORT=55432
PG_USER=bankclientele
PG_PASSWORD=bankclientele
RABBIT_DIR="$DATA/rabbitmq"
RABBIT_PORT=55672
TEST_VHOST=bankclientele-test

# RabbitMQ: a node of our own on non-default ports (AMQP, distribution, epmd), so it never
# meets a system RabbitMQ. The same variables must be set for rabbitmq-server and rabbitmqctl.
export RABBITMQ_NODENAME=bankclientele@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$RABBIT_PORT
export RABBITMQ_DIST_PORT=55679
export ERL_EPMD_PORT=54369
export ERL_EPMD_ADDRESS=127.0.0.1                       # loopback only, like the rest
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia"
export RABBITMQ_LOG_BASE="$RABBIT_DIR/log"
export RABBITMQ_PID_FILE="$RABBIT_DIR/rabbitmq.pid"
export RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq"          # .conf is appended
export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
export RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf"

log() { printf '%s\n' "$*"; }
die() { printf 'servers.sh: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Bounded poll: wait_for SECONDS COMMAND...
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    (( SECONDS < deadline )) || return 1
    sleep 0.2
  done
}

apt_updated=0
apt_install() {
  if [[ $apt_updated == 0 ]]; then
    log "apt-get update..."
    apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "Installing $*..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install() {
  local with_browser=${1:-}
  [[ -x $PG_BIN/postgres ]] || apt_install postgresql-15
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  if [[ $with_browser == --with-browser ]]; then
    [[ -x /usr/bin/chromium ]] || apt_install chromium
    # A CJK font, so pages render (and screenshots show) Chinese rather than empty boxes.
    fc-list 2>/dev/null | grep -qi "cjk\|wqy" || apt_install fonts-wqy-zenhei
  fi
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  id rabbitmq >/dev/null 2>&1 || useradd --system --home-dir /var/lib/rabbitmq --shell /bin/false rabbitmq
  # Debian starts the packaged servers at install time where it can; ours are separate nodes.
  return 0
}

# The servers run as the postgres and rabbitmq users, who must be able to reach .data even when
# the checkout sits in a private (0700) folder such as a CI clone in mktemp -d.
open_path_to_data() {
  mkdir -p "$DATA"
  local dir=$DATA
  while [[ $dir != / ]]; do
    chmod o+x "$dir" 2>/dev/null || true
    dir=$(dirname "$dir")
  done
}

# ---------------------------------------------------------------- PostgreSQL
pg_as() { runuser -u postgres -- "$@"; }

pg_running() { pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p $PG_PORT; }

pg_start() {
  if [[ -f $PG_DATA/PG_VERSION ]] && pg_running; then
    log "PostgreSQL: already running on 127.0.0.1:$PG_PORT"
    return
  fi
  port_open $PG_PORT && die "port $PG_PORT is taken by a process that is not our PostgreSQL"
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    mkdir -p "$PG_DATA"; chown postgres:postgres "$PG_DATA"; chmod 700 "$PG_DATA"
    local pwfile; pwfile=$(mktemp); echo "$PG_PASSWORD" > "$pwfile"; chmod 644 "$pwfile"
    pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    # Tuned for a developer machine and tests: durability traded for speed, many connections.
    cat >> "$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
CONF
  fi
  local start=$SECONDS
  mkdir -p "$DATA/postgres-log"; chown postgres:postgres "$DATA/postgres-log"
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$DATA/postgres-log/postgres.log" -w -t 60 start >/dev/null \
    || { tail -20 "$DATA/postgres-log/postgres.log" >&2; die "PostgreSQL did not start"; }
  wait_for 60 pg_ready || die "PostgreSQL does not accept connections"
  log "PostgreSQL: started on 127.0.0.1:$PG_PORT ($((SECONDS - start)) s)"
}

pg_stop() {
  if [[ -f $PG_DATA/PG_VERSION ]] && pg_running; then
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    log "PostgreSQL: stopped"
  fi
}

# ---------------------------------------------------------------- RabbitMQ
# Debian's wrappers run both the node and rabbitmqctl as the rabbitmq user (HOME /var/lib/rabbitmq),
# so they share that user's Erlang cookie; our RABBITMQ_* variables pass through su.
rabbitctl() { rabbitmqctl -q "$@"; }

rabbit_running() { [[ -f $RABBITMQ_PID_FILE ]] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; }

rabbit_prepare() {
  mkdir -p "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
  cat > "$RABBIT_DIR/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBIT_PORT
loopback_users.guest = true
log.console = false
log.file.level = warning
CONF
  echo '[].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  : > "$RABBITMQ_CONF_ENV_FILE"
  mkdir -p /var/lib/rabbitmq /var/log/rabbitmq
  chown rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  chown -R rabbitmq:rabbitmq "$RABBIT_DIR"
}

rabbit_start() {
  if rabbit_running; then
    log "RabbitMQ: already running on 127.0.0.1:$RABBIT_PORT"
    return
  fi
  port_open $RABBIT_PORT && die "port $RABBIT_PORT is taken by a process that is not our RabbitMQ"
  rabbit_prepare
  local start=$SECONDS
  setsid rabbitmq-server >"$RABBIT_DIR/console.log" 2>&1 < /dev/null &
  wait_for 90 rabbit_ready || { tail -30 "$RABBIT_DIR/console.log" >&2; die "RabbitMQ did not start"; }
  rabbit_ensure_vhost
  log "RabbitMQ: started on 127.0.0.1:$RABBIT_PORT ($((SECONDS - start)) s)"
}

rabbit_ready() {
  port_open $RABBIT_PORT && rabbitctl await_startup --timeout 5 >/dev/null 2>&1
}

# Tests use a virtual host of their own, so they never take a running demo's messages.
rabbit_ensure_vhost() {
  rabbitctl add_vhost "$TEST_VHOST" >/dev/null 2>&1 || true
  rabbitctl set_permissions -p "$TEST_VHOST" guest '.*' '.*' '.*' >/dev/null
}

rabbit_stop() {
  if rabbit_running; then
    local pid; pid=$(cat "$RABBITMQ_PID_FILE")
    rabbitctl stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    wait_for 30 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null || true
    log "RabbitMQ: stopped"
  fi
  # epmd on our port outlives the node; stop it too (it serves only our node).
  epmd -port $ERL_EPMD_PORT -kill >/dev/null 2>&1 || true
}

status() {
  local ok=0
  if [[ -f $PG_DATA/PG_VERSION ]] && pg_running && pg_ready; then log "PostgreSQL: running on 127.0.0.1:$PG_PORT"; else log "PostgreSQL: stopped"; ok=1; fi
  if rabbit_running && port_open $RABBIT_PORT; then log "RabbitMQ: running on 127.0.0.1:$RABBIT_PORT"; else log "RabbitMQ: stopped"; ok=1; fi
  return $ok
}

# Both answer on our ports, whoever started them (another checkout of this project, say).
reachable() { pg_ready && port_open $RABBIT_PORT; }

case "${1:-}" in
  install) install "${2:-}" ;;
  start) install; open_path_to_data; pg_start; rabbit_start ;;
  stop) rabbit_stop; pg_stop ;;
  status) status ;;
  reachable) reachable ;;
  start-rabbitmq) install; open_path_to_data; rabbit_start ;;
  stop-rabbitmq) rabbit_stop ;;
  rabbitmqctl) shift; rabbitmqctl "$@" ;;    # e.g. servers.sh rabbitmqctl list_queues -p bankclientele-test
  *) echo "usage: $0 install [--with-browser] | start | stop | status | start-rabbitmq | stop-rabbitmq | rabbitmqctl ARGS" >&2; exit 2 ;;
esac
