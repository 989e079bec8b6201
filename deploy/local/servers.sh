#!/usr/bin/env bash
# Local PostgreSQL 15 and RabbitMQ for BankClientele, with their data under .data/ of the checkout.
#   servers.sh install [--with-browser]   apt-install what is missing (and Chromium's headless shell + a CJK font)
#   servers.sh start | stop | status      both servers (start installs first; both are idempotent)
#   servers.sh start-rabbitmq | stop-rabbitmq | restart-rabbitmq
#   servers.sh restart-postgres-immediate   stop PostgreSQL as a crash would (-m immediate), start it again
# Another pair beside the everyday one: BANKCLIENTELE_SERVERS_DATA, BANKCLIENTELE_PG_PORT,
# BANKCLIENTELE_AMQP_PORT, BANKCLIENTELE_RABBIT_DIST_PORT, BANKCLIENTELE_EPMD_PORT, BANKCLIENTELE_RABBIT_NODE.
# BANKCLIENTELE_PG_DURABLE=1 also keeps fsync and full-page writes on (for crash experiments of the
# whole machine). Commits are always synchronous: see pg_configure.
#   servers.sh reachable                  exit 0 when both answer on our ports, whoever runs them
#   servers.sh env                        export lines with the connection pieces
#   servers.sh psql [ARGS...]             psql as bankclientele against our server
#   servers.sh rabbitmqctl ARGS...        rabbitmqctl against our node
# Only our own servers are touched: PostgreSQL by its data folder (the postmaster's working folder),
# RabbitMQ and its epmd by the data folder in their environment. Never another postgres, rabbitmq or
# epmd of the machine. Debian 12, as root, without systemd: the servers are plain background processes.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)   # physical path: compared with /proc
# A second, independent pair (for fault experiments that restart or kill servers) takes other
# ports, node name and data folder from these variables; the defaults are the everyday pair.
DATA=${BANKCLIENTELE_SERVERS_DATA:-$ROOT/.data}

PG_BIN=/usr/lib/postgresql/15/bin
PG_DATA="$DATA/postgres"
PG_LOG="$DATA/postgres-log/postgres.log"
PG_PORT=${BANKCLIENTELE_PG_PORT:-55432}
PG_USER=bankclientele
PG_PASSWORD=bankclientele
PG_DURABLE=${BANKCLIENTELE_PG_DURABLE:-0}

RABBIT_DIR="$DATA/rabbitmq"
RABBIT_PORT=${BANKCLIENTELE_AMQP_PORT:-55672}
RABBIT_DIST_PORT=${BANKCLIENTELE_RABBIT_DIST_PORT:-55679}
RABBIT_EPMD_PORT=${BANKCLIENTELE_EPMD_PORT:-54369}
RABBIT_NODE=${BANKCLIENTELE_RABBIT_NODE:-bankclientele@localhost}
TEST_VHOST=bankclientele-test          # tests use their own virtual host (TestServers.RabbitVirtualHost)
BENCH_VHOST=bankclientele-bench        # bankclientele bench events
RABBIT_SERVER=/usr/sbin/rabbitmq-server  # Debian's wrappers: as root they switch to the rabbitmq user
RABBIT_CTL=/usr/sbin/rabbitmqctl

# Our node on non-default ports (AMQP, distribution, epmd) and with every file under .data, so it
# never meets a system RabbitMQ. Given to rabbitmq-server and rabbitmqctl alike, but not exported:
# they also mark the node's processes as ours (see rabbit_procs), which this script's must not be.
RABBIT_ENV=(
  RABBITMQ_NODENAME="$RABBIT_NODE"
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  RABBITMQ_NODE_PORT="$RABBIT_PORT"
  RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT"
  ERL_EPMD_PORT="$RABBIT_EPMD_PORT"
  ERL_EPMD_ADDRESS=127.0.0.1
  # +sbwt none ...: Erlang's schedulers spin while idle by default, which takes CPU from the services and
  # PostgreSQL on a machine they share (RabbitMQ's runtime guide on scheduler busy waiting).
  "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
  RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia"
  RABBITMQ_LOG_BASE="$RABBIT_DIR/log"
  RABBITMQ_PID_FILE="$RABBIT_DIR/rabbitmq.pid"
  RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq"                   # ".conf" is appended
  RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config"   # absent: not /etc/rabbitmq's
  RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
  RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf"        # empty: not /etc/rabbitmq's
  ERL_CRASH_DUMP="$RABBIT_DIR/erl_crash.dump"
)
RABBIT_MARK="RABBITMQ_MNESIA_BASE=$RABBIT_DIR/mnesia"   # in the environment of every process of our node
RABBIT_PID_FILE="$RABBIT_DIR/rabbitmq.pid"

log() { printf '%s\n' "$*"; }
die() { printf 'servers.sh: %s\n' "$*" >&2; exit 1; }

# Seconds since $1 (an $EPOCHREALTIME), one decimal.
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Bounded poll: wait_for SECONDS COMMAND... (short sleeps, so callers return as soon as it holds).
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Who listens on 127.0.0.1:PORT, for clear error messages: which server, with which data if known.
port_owner() {
  local pid mnesia
  pid=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2) || true
  [[ -n $pid ]] || { printf 'another process'; return; }
  mnesia=$(grep -zs '^RABBITMQ_MNESIA_BASE=' "/proc/$pid/environ" | tr -d '\0') || true
  if [[ $mnesia == "$RABBIT_MARK" ]]; then
    printf "pid %s, this checkout's own RabbitMQ without its pid file (run servers.sh stop)" "$pid"
  elif [[ -n $mnesia ]]; then
    printf 'pid %s, a RabbitMQ with data in %s' "$pid" "${mnesia#*=}"
  elif [[ $(cat "/proc/$pid/comm" 2>/dev/null) == postgres ]]; then
    printf 'pid %s, a PostgreSQL with data in %s' "$pid" "$(readlink "/proc/$pid/cwd")"
  else
    printf 'pid %s (%s)' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-100)"
  fi
}

# Refuses to start on a port that something else already holds.
need_free_port() {
  if port_open "$1"; then
    die "port $1 ($2) is in use by $(port_owner "$1"), which is not this checkout's server; stop it first"
  fi
}

# start and stop of this checkout take turns (run.sh and test.sh may call them at once). Every child
# started while the lock is held gets "9>&-", so no server keeps the lock for its lifetime.
take_lock() {
  mkdir -p "$DATA"
  exec 9>"$DATA/servers.lock"
  flock -w 300 9 || die "another servers.sh of this checkout has held $DATA/servers.lock for 5 minutes"
}

# ---------------------------------------------------------------- install
apt_updated=0
apt_install() {
  mkdir -p "$DATA"
  local apt_log="$DATA/apt.log" policy=/usr/sbin/policy-rc.d added_policy=0
  # Keep dpkg from starting the packages' own system servers (default ports, /var/lib data): we run
  # our own. Docker-style images already have this file; elsewhere it exists only during the install.
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; added_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT   # also when interrupted
  fi
  log "Installing $* (apt-get, log in $apt_log)..."
  local ok=1
  {
    if [[ $apt_updated == 0 ]]; then apt-get update -qq -o DPkg::Lock::Timeout=300 && apt_updated=1; fi &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300 "$@"
  } >"$apt_log" 2>&1 || ok=0
  [[ $added_policy == 0 ]] || { rm -f "$policy"; trap - EXIT; }
  [[ $ok == 1 ]] || { tail -20 "$apt_log" >&2; die "apt-get install $* failed"; }
}

install_missing() {
  local with_browser=${1:-} pkgs=()
  [[ -x $PG_BIN/postgres && -x $PG_BIN/psql ]] || pkgs+=(postgresql-15)
  [[ -x $RABBIT_SERVER && -x $RABBIT_CTL ]] || pkgs+=(rabbitmq-server)
  if [[ $with_browser == --with-browser ]]; then
    # The headless shell the browser tests drive: a third of the full browser's CPU per page.
    [[ -x /usr/bin/chromium-headless-shell ]] || pkgs+=(chromium-headless-shell)
    # A CJK font, so pages render (and screenshots show) Chinese rather than empty boxes.
    fc-list :lang=zh family 2>/dev/null | grep -q . || pkgs+=(fonts-wqy-zenhei)
  elif [[ -n $with_browser ]]; then
    die "install: unknown option $with_browser"
  fi
  ((${#pkgs[@]} == 0)) || apt_install "${pkgs[@]}"
  # The packages create these users; binaries copied into an image without them would not.
  id postgres >/dev/null 2>&1 || useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  id rabbitmq >/dev/null 2>&1 || useradd --system --user-group --home-dir /var/lib/rabbitmq --shell /bin/false rabbitmq
  # Debian's wrappers run in the rabbitmq user's home, which also keeps its Erlang cookie: the same
  # one for the node and for rabbitmqctl, since both run as that user (root's cookie is not used).
  if [[ ! -d /var/lib/rabbitmq ]]; then
    install -d -o rabbitmq -g rabbitmq -m 755 /var/lib/rabbitmq
  fi
}

# The servers run as the postgres and rabbitmq users, who must be able to reach .data even when the
# checkout sits in a private (0700) folder, such as a CI clone in mktemp -d: every folder from .data up
# gets the search (x) bit for others, which lets them pass through, not list or read.
open_path_to_data() {
  mkdir -p "$DATA"
  local dir=$DATA
  while [[ $dir != / ]]; do
    [[ $(stat -c %A "$dir") == *[xt] ]] || chmod o+x "$dir"   # t: sticky and x, as /tmp
    dir=$(dirname "$dir")
  done
}

# ---------------------------------------------------------------- PostgreSQL
# cd /: the postgres user may not enter the caller's working folder.
pg_as() { (cd / && exec runuser -u postgres -- "$@" 9>&-); }

# Processes working in our data folder: the postmaster and all of its children (one find, no loop).
pg_procs() {
  local pattern
  # shellcheck disable=SC2001  # four characters to escape: simpler with sed
  pattern=$(sed 's/[][*?\\]/\\&/g' <<<"$PG_DATA")   # -lname takes a glob
  find /proc/[0-9]*/cwd -maxdepth 0 -lname "$pattern" 2>/dev/null | cut -d/ -f3 || true
}

# PID of the postmaster serving our data folder. postmaster.pid alone proves nothing (after a restart
# it may name a reused PID), so that process must also work in our folder.
pg_pid() {
  local pid
  [[ -f $PG_DATA/postmaster.pid ]] || return 1
  pid=$(head -1 "$PG_DATA/postmaster.pid")
  [[ $pid =~ ^[0-9]+$ && $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$PG_DATA" ]] || return 1
  echo "$pid"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }

pg_login() {
  PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$PG_PORT" \
    -U "$PG_USER" -d postgres -c 'select 1' >/dev/null
}

pg_init() {
  log "PostgreSQL: creating the cluster in $PG_DATA"
  install -d -o postgres -g postgres -m 700 "$PG_DATA"
  local pwfile
  pwfile=$(mktemp) && chown postgres "$pwfile" && printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  # The bootstrap superuser is bankclientele itself (there is no postgres role).
  if ! pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$DATA/postgres-initdb.log" 2>&1; then
    rm -f "$pwfile"; cat "$DATA/postgres-initdb.log" >&2; die "initdb failed"
  fi
  rm -f "$pwfile" "$DATA/postgres-initdb.log"
  echo "include_if_exists = 'bankclientele.conf'" >>"$PG_DATA/postgresql.conf"
}

# Written at every start, so a change here reaches existing data folders too.
pg_configure() {
  local socket_dir=${PG_DATA//\'/\'\'}   # quotes doubled, for the configuration syntax
  grep -q "^include_if_exists = 'bankclientele.conf'" "$PG_DATA/postgresql.conf" ||
    echo "include_if_exists = 'bankclientele.conf'" >>"$PG_DATA/postgresql.conf"
  # Tuned for a developer machine and tests: durability traded for speed, many connections.
  cat >"$PG_DATA/bankclientele.conf" <<CONF
# Written by deploy/local/servers.sh at every start: change the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$socket_dir'
max_connections = 300
shared_buffers = 128MB
fsync = $([[ $PG_DURABLE == 1 ]] && echo on || echo off)
# Always on: a consumer acknowledges the broker once its inbox commit returns, so a commit reported
# before it reaches the WAL is a message lost when PostgreSQL stops in immediate mode (bench faults
# lost whole relay batches that way). With fsync off the wait is a write() to the kernel, not a
# flush, and survives any crash of PostgreSQL itself; only a crash of the machine loses it.
synchronous_commit = on
full_page_writes = $([[ $PG_DURABLE == 1 ]] && echo on || echo off)
password_encryption = scram-sha-256
logging_collector = off
CONF
  # The socket sits in the 0700 data folder, so only postgres and root reach "local"; TCP needs the password.
  cat >"$PG_DATA/pg_hba.conf" <<HBA
# Written by deploy/local/servers.sh at every start.
local all all                trust
host  all all 127.0.0.1/32   scram-sha-256
HBA
  chown postgres:postgres "$PG_DATA/bankclientele.conf" "$PG_DATA/pg_hba.conf"
  chmod 600 "$PG_DATA/bankclientele.conf" "$PG_DATA/pg_hba.conf"
}

pg_start() {
  local pid t0=$EPOCHREALTIME
  if pid=$(pg_pid); then
    wait_for 60 pg_ready || die "PostgreSQL (pid $pid) runs but accepts no connections; see $PG_LOG"
    log "PostgreSQL: already running on 127.0.0.1:$PG_PORT (pid $pid)"
    return
  fi
  need_free_port "$PG_PORT" PostgreSQL
  [[ -f $PG_DATA/PG_VERSION ]] || pg_init
  pg_configure
  # A postmaster.pid naming a live process that is not ours (a PID reused after a restart) would stop
  # PostgreSQL from starting. Removed only when no process at all works in the data folder.
  if [[ -f $PG_DATA/postmaster.pid && -z $(pg_procs) ]]; then rm -f "$PG_DATA/postmaster.pid"; fi
  install -d -o postgres -g postgres -m 755 "$(dirname "$PG_LOG")"
  if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -s start; then
    tail -20 "$PG_LOG" >&2; die "PostgreSQL did not start (log: $PG_LOG)"
  fi
  wait_for 60 pg_ready || die "PostgreSQL accepts no connections (log: $PG_LOG)"
  pg_login || die "PostgreSQL runs, but $PG_USER cannot sign in with its password over TCP"
  log "PostgreSQL: started on 127.0.0.1:$PG_PORT in $(elapsed "$t0") s (data $PG_DATA)"
}

pg_stop() {
  local pid t0=$EPOCHREALTIME
  if pid=$(pg_pid); then
    # Fast: rolls back open sessions. Immediate only if that does not finish in time.
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 -s stop ||
      pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 -s stop || true
    no_pg_procs() { [[ -z $(pg_procs) ]]; }
    wait_for 30 no_pg_procs || die "PostgreSQL processes remain: $(pg_procs | tr '\n' ' ')"
    log "PostgreSQL: stopped in $(elapsed "$t0") s"
  else
    log "PostgreSQL: not running"
  fi
}

# ---------------------------------------------------------------- RabbitMQ
rabbitctl() { (cd / && exec env "${RABBIT_ENV[@]}" "$RABBIT_CTL" -q "$@" 9>&-); }
# The same with a time limit (SECONDS first), for the calls this script waits on.
rabbitctl_within() { local limit=$1; shift; (cd / && exec timeout "$limit" env "${RABBIT_ENV[@]}" "$RABBIT_CTL" -q "$@" 9>&-); }

# PIDs of our node's processes (wrappers, the Erlang VM, epmd, helpers), by the environment they inherit.
# NAME keeps only processes of that name, -NAME all but those.
rabbit_procs() {
  local file pid comm
  grep -lzxF -- "$RABBIT_MARK" /proc/[0-9]*/environ 2>/dev/null | while IFS= read -r file; do
    pid=${file#/proc/}; pid=${pid%/environ}
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
    case ${1:-} in
      "") ;;
      -*) [[ $comm != "${1#-}" ]] || continue ;;
      *) [[ $comm == "$1" ]] || continue ;;
    esac
    echo "$pid"
  done
  return 0
}

# Sends SIGNAL to our node's processes chosen as by rabbit_procs FILTER.
signal_rabbit() {
  local pids
  mapfile -t pids < <(rabbit_procs "$2")
  ((${#pids[@]} == 0)) || kill "-$1" "${pids[@]}" 2>/dev/null || true
}

# PID of our running node: the one in its pid file, if that process is ours (not a reused PID).
rabbit_pid() {
  local pid
  [[ -f $RABBIT_PID_FILE ]] || return 1
  pid=$(tr -dc 0-9 <"$RABBIT_PID_FILE")
  [[ -n $pid ]] && grep -qzxF -- "$RABBIT_MARK" "/proc/$pid/environ" 2>/dev/null || return 1
  echo "$pid"
}

# epmd's client on our epmd port; bounded, as whatever holds the port may never answer.
epmd_cmd() { ERL_EPMD_PORT=$RABBIT_EPMD_PORT timeout 5 epmd "$@" 2>/dev/null 9>&-; }

# Real readiness: the port speaks AMQP (answers the 0-9-1 protocol header with a method frame).
amqp_ready() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$RABBIT_PORT" || exit 1
    printf 'AMQP\x00\x00\x09\x01' >&3
    LC_ALL=C IFS= read -r -t 2 -N 1 byte <&3 || exit 1
    [[ $byte == $'\x01' ]]
  ) 2>/dev/null
}

rabbit_prepare() {
  mkdir -p "$RABBIT_DIR/mnesia" "$RABBIT_DIR/log"
  cat >"$RABBIT_DIR/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBIT_PORT
loopback_users.guest = true
log.console = false
log.file.level = warning
CONF
  echo '[].' >"$RABBIT_DIR/enabled_plugins"
  : >"$RABBIT_DIR/rabbitmq-env.conf"
  rm -f "$RABBIT_PID_FILE"   # not ours (rabbit_pid said so): a leftover
  chown -R rabbitmq:rabbitmq "$RABBIT_DIR"
}

# Starts the node in the background (its own session, so the caller's Ctrl-C does not reach it);
# rabbit_wait then waits for it. Split so that PostgreSQL starts while the Erlang VM boots.
RABBIT_LAUNCHER=
RABBIT_T0=
rabbit_launch() {
  local pid
  RABBIT_T0=$EPOCHREALTIME
  if pid=$(rabbit_pid); then return 0; fi
  [[ -z $(rabbit_procs beam.smp) ]] ||
    die "a RabbitMQ of this checkout is starting or has lost its pid file; run servers.sh stop first"
  need_free_port "$RABBIT_PORT" "RabbitMQ AMQP"
  need_free_port "$RABBIT_DIST_PORT" "RabbitMQ distribution"
  # Our epmd port may hold an epmd (ours from before, or one to share), nothing else; and no node of
  # our name may be registered there (another checkout's, which would clash on every port).
  local names=
  if port_open "$RABBIT_EPMD_PORT"; then
    names=$(epmd_cmd -names) ||
      die "port $RABBIT_EPMD_PORT (epmd) is in use by $(port_owner "$RABBIT_EPMD_PORT"), which is not an epmd"
  fi
  if grep -q "^name ${RABBIT_NODE%@*} " <<<"$names"; then
    die "a node $RABBIT_NODE already runs (another checkout's?); stop it with that checkout's servers.sh stop"
  fi
  rabbit_prepare
  (cd / && exec setsid env "${RABBIT_ENV[@]}" "$RABBIT_SERVER" >"$RABBIT_DIR/console.log" 2>&1 </dev/null 9>&-) &
  RABBIT_LAUNCHER=$!
}

rabbit_wait() {
  local pid deadline=$((SECONDS + 90))
  if [[ -z $RABBIT_LAUNCHER ]] && pid=$(rabbit_pid); then
    wait_for 60 amqp_ready || die "RabbitMQ (pid $pid) runs but does not speak AMQP on $RABBIT_PORT"
    log "RabbitMQ: already running on 127.0.0.1:$RABBIT_PORT (pid $pid, node $RABBIT_NODE)"
    return
  fi
  until amqp_ready; do
    if ! kill -0 "$RABBIT_LAUNCHER" 2>/dev/null; then
      tail -30 "$RABBIT_DIR/console.log" >&2; die "RabbitMQ exited while starting (logs: $RABBIT_DIR/log)"
    fi
    ((SECONDS < deadline)) || { tail -30 "$RABBIT_DIR/console.log" >&2; die "RabbitMQ did not start in 90 s"; }
    sleep 0.2
  done
  # Also proves that rabbitmqctl reaches the node (same cookie, epmd port and node name).
  rabbitctl_within 70 await_startup --timeout 60 >/dev/null || die "rabbitmqctl cannot reach node $RABBIT_NODE"
  rabbit_ensure_vhost
  pid=$(rabbit_pid) || pid='?'
  log "RabbitMQ: started on 127.0.0.1:$RABBIT_PORT in $(elapsed "$RABBIT_T0") s (pid $pid, node $RABBIT_NODE)"
}

# Tests use a virtual host of their own, so they never take a running demo's messages.
rabbit_ensure_vhost() {
  local vhost
  for vhost in "$TEST_VHOST" "$BENCH_VHOST"; do
    rabbitctl_within 60 list_vhosts --no-table-headers 2>/dev/null | grep -qxF "$vhost" ||
      rabbitctl_within 60 add_vhost "$vhost" >/dev/null
    rabbitctl_within 60 set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
  done
}

rabbit_stop() {
  local pid t0=$EPOCHREALTIME
  if [[ -z $(rabbit_procs beam.smp) ]]; then
    log "RabbitMQ: not running"
  else
    # rabbitmqctl stop with the pid file returns once that process has exited.
    if pid=$(rabbit_pid); then rabbitctl_within 60 stop "$RABBIT_PID_FILE" >/dev/null 2>&1 || true; fi
    # Left over: a node still booting (no pid file yet) or one rabbitmqctl could not stop. SIGTERM
    # makes the Erlang VM shut down cleanly.
    no_rabbit_vm() { [[ -z $(rabbit_procs beam.smp) ]]; }
    if ! no_rabbit_vm; then
      signal_rabbit TERM beam.smp
      wait_for 30 no_rabbit_vm || signal_rabbit KILL beam.smp
    fi
    log "RabbitMQ: stopped in $(elapsed "$t0") s"
  fi
  # epmd, started by our node, outlives it: stop it too (epmd -kill refuses while any node is
  # registered, so a node of someone else's on the same epmd keeps it).
  if [[ -n $(rabbit_procs epmd) ]]; then epmd_cmd -kill >/dev/null || true; fi
  # The wrappers and helpers end with the node; wait for them (they carry our mark, nothing else does).
  # An epmd that refused to die serves another node: leave it.
  no_rabbit_procs() { [[ -z $(rabbit_procs -epmd) ]]; }
  wait_for 15 no_rabbit_procs || signal_rabbit KILL -epmd
}

# ---------------------------------------------------------------- commands
status() {
  local ok=0 pid
  if pid=$(pg_pid) && pg_ready; then
    log "PostgreSQL: running on 127.0.0.1:$PG_PORT (pid $pid, data $PG_DATA)"
  else
    log "PostgreSQL: stopped"; ok=1
  fi
  if pid=$(rabbit_pid) && amqp_ready; then
    log "RabbitMQ: running on 127.0.0.1:$RABBIT_PORT (pid $pid, node $RABBIT_NODE, data $RABBIT_DIR)"
  else
    log "RabbitMQ: stopped"; ok=1
  fi
  return $ok
}

print_env() {
  cat <<ENV
export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=$PG_USER PGPASSWORD=$PG_PASSWORD PGDATABASE=postgres
export BANKCLIENTELE_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD'
export RabbitMq__Host=127.0.0.1 RabbitMq__Port=$RABBIT_PORT RabbitMq__Username=guest RabbitMq__Password=guest
export BANKCLIENTELE_AMQP_URL='amqp://guest:guest@127.0.0.1:$RABBIT_PORT/'
ENV
}

usage() {
  echo "usage: $0 install [--with-browser] | start | stop | status | reachable | start-rabbitmq | stop-rabbitmq | restart-rabbitmq | restart-postgres-immediate | env | psql [ARGS] | rabbitmqctl ARGS" >&2
  exit 2
}

case "${1:-}" in
  install) install_missing "${2:-}" ;;
  start)
    install_missing; open_path_to_data; take_lock
    pg_pid >/dev/null || need_free_port "$PG_PORT" PostgreSQL   # before the node boots for nothing
    rabbit_launch
    # Should PostgreSQL (or the wait) fail, do not leave a half-started node behind.
    [[ -z $RABBIT_LAUNCHER ]] || trap 'rabbit_stop >/dev/null 2>&1' EXIT
    pg_start; rabbit_wait
    trap - EXIT ;;
  stop) take_lock; rabbit_stop; pg_stop ;;
  status) status ;;
  reachable) pg_ready && amqp_ready ;;   # both answer on our ports, whoever started them (another checkout, say)
  start-rabbitmq)
    install_missing; open_path_to_data; take_lock
    rabbit_launch
    [[ -z $RABBIT_LAUNCHER ]] || trap 'rabbit_stop >/dev/null 2>&1' EXIT
    rabbit_wait
    trap - EXIT ;;
  stop-rabbitmq) take_lock; rabbit_stop ;;
  restart-rabbitmq) take_lock; rabbit_stop; rabbit_launch; rabbit_wait ;;   # fault experiments
  restart-postgres-immediate)   # a crash as PostgreSQL sees one: no checkpoint, recovery at start
    take_lock
    pg_pid >/dev/null && pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 -s stop
    pg_start ;;
  env) print_env ;;
  psql) shift; PGPASSWORD=$PG_PASSWORD exec "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres "$@" ;;
  rabbitmqctl) shift; rabbitctl "$@" ;;   # e.g. servers.sh rabbitmqctl list_queues -p bankclientele-test
  *) usage ;;
esac
