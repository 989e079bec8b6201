#!/usr/bin/env bash
# Brings up the whole BankClientele system on this machine: PostgreSQL and RabbitMQ (installed
# when missing), migrations, demo data, the four services and the portal.
#   ./run.sh            start everything, print the address and sign-ins, stay in the foreground (Ctrl-C stops)
#   ./run.sh --detach   the same, but return once it is up
#   ./run.sh stop       stop everything run.sh started, and nothing else
#   ./run.sh status     what is running
#   ./run.sh --replicas 2 [--detach]   the same with two processes of each service (the second on port +10:
#                       5111-5114), sharing each service's database and the broker: they compete for
#                       each queue, share the outbox, and Hangfire runs each firing once
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
RUN_DIR="$ROOT/.data/run"
LOG_DIR="$ROOT/.data/logs"
PUBLISH_DIR="$ROOT/.data/publish"
SERVERS="$ROOT/deploy/local/servers.sh"
APPS=(CustomerCare Acquisition FootTraffic Insights Portal)
# An isolated whole system beside the demo (e.g. for trying replicas): BANKCLIENTELE_PORT_BASE moves the
# HTTP ports (base, base+1 ...), BANKCLIENTELE_DB_SUFFIX gives every database a suffix, and servers.sh's
# own variables (BANKCLIENTELE_SERVERS_DATA, BANKCLIENTELE_PG_PORT, BANKCLIENTELE_AMQP_PORT, ...) pick the
# server pair. BANKCLIENTELE_SKIP_SEED=1 starts without the demo data.
PORT_BASE=${BANKCLIENTELE_PORT_BASE:-5100}
DB_SUFFIX=${BANKCLIENTELE_DB_SUFFIX:+_$BANKCLIENTELE_DB_SUFFIX}
declare -A PORTS=([Portal]=$PORT_BASE [CustomerCare]=$((PORT_BASE + 1)) [Acquisition]=$((PORT_BASE + 2)) [FootTraffic]=$((PORT_BASE + 3)) [Insights]=$((PORT_BASE + 4)))
PG_CONNECTION="Host=127.0.0.1;Port=${BANKCLIENTELE_PG_PORT:-55432};Username=bankclientele;Password=bankclientele"
export RabbitMq__Port=${BANKCLIENTELE_AMQP_PORT:-55672}
# .NET's dynamic PGO instruments hot code, then compiles it again: worth it in a long steady state, but
# here every process starts and at once takes the seed's burst on two shared cores; without it the
# seed's customer-care part measured 58.8-58.9 s against 65.2-68.8 s (README, 2026-11-29).
export DOTNET_TieredPGO=${DOTNET_TieredPGO:-0}
# The services' import limits default to what a branch's daily file needs (2,000,000 rows, 256 MiB). The
# demo seed sends a year of 20,000 customers' daily balances (7.3 M rows) as four files of about 1.8 M rows
# and 70 MB, and `bankclientele bench demo-feed --balance-files 1` as one of nearly 300 MB: the demo's
# services take up to 10,000,000 rows and 1 GiB, set here (an operator's own values win).
export Imports__MaxRows=${Imports__MaxRows:-10000000}
export Imports__MaxBytes=${Imports__MaxBytes:-1073741824}
database_of() { echo "bankclientele_$(tr 'A-Z' 'a-z' <<<"$1")$DB_SUFFIX"; }
# The CLI and the portal find the services and databases here; each process gets its own database below.
for app in "${APPS[@]}"; do
  export "Services__$app=http://127.0.0.1:${PORTS[$app]}" "ConnectionStrings__$app=$PG_CONNECTION;Database=$(database_of "$app")"
done

REPLICAS=1
[[ -f "$RUN_DIR/replicas" ]] && REPLICAS=$(cat "$RUN_DIR/replicas")
SERVICES=(CustomerCare Acquisition FootTraffic Insights)

# Pid files of the extra instances (instance 2..N of each service), as "App-N".
replica_names() {
  local app n
  for app in "${SERVICES[@]}"; do
    for ((n = 2; n <= REPLICAS; n++)); do echo "$app-$n"; done
  done
}

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

  Portal          http://127.0.0.1:${PORTS[Portal]}
  CustomerCare    http://127.0.0.1:${PORTS[CustomerCare]}
  Acquisition     http://127.0.0.1:${PORTS[Acquisition]}
  FootTraffic     http://127.0.0.1:${PORTS[FootTraffic]}
  Insights        http://127.0.0.1:${PORTS[Insights]}   (Hangfire dashboard: /hangfire, administrators only)
  Replicas        $REPLICAS of each service (the second on port +10)
  Logs            .data/logs/
  Staff token     dotnet .data/publish/Cli/bankclientele.dll token --service insights --role Administrator --staff-id ADM-001
                  (with Auth__PrivateKey from .data/secrets.env), for curl and that service's Hangfire dashboard

  Demo sign-ins (password for all: Demo@2026!)
    rm.li       relationship manager, 上海陆家嘴支行 (SH001)
    lead.wang   branch lead, 上海陆家嘴支行 (SH001)
    hq.zhao     head office
    region.sun  region head, 华东分行 (SH001–SH003, HZ001, NJ001)
    admin       administrator

TXT
}

stop_all() {
  local stopped=0
  for app in "${APPS[@]}" $(replica_names); do
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
  for app in "${APPS[@]}" $(replica_names); do
    pid_alive "$RUN_DIR/$app.pid" && kill -9 "$(cat "$RUN_DIR/$app.pid")" 2>/dev/null || true
    rm -f "$RUN_DIR/$app.pid"
  done
  rm -f "$RUN_DIR/replicas"
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
    for replica in $(replica_names); do
      app=${replica%-*}; n=${replica##*-}
      if pid_alive "$RUN_DIR/$replica.pid"; then echo "$replica: running (pid $(cat "$RUN_DIR/$replica.pid"), port $((PORTS[$app] + 10 * (n - 1))))"; else echo "$replica: stopped"; fi
    done
    exit 0 ;;
esac
DETACH=0
while (($#)); do
  case "$1" in
    --detach) DETACH=1 ;;
    --replicas)
      [[ ${2:-} =~ ^[1-4]$ ]] || { echo "--replicas takes 1 to 4" >&2; exit 2; }
      REPLICAS=$2; shift ;;
    *) echo "usage: ./run.sh [--detach] [--replicas N] | stop | status" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$RUN_DIR" "$LOG_DIR"
echo "$REPLICAS" > "$RUN_DIR/replicas"   # so stop and status know the extra instances
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

# 2. The secrets, made once per checkout and never committed (a checkout from before ES256 gets new
# ones): the staff-token key pair (ES256, P-256) and the matching key of phone/ID hashes. Nothing
# starts without them; the services get the public key only, the portal and the CLI the private one.
if [[ ! -f "$ROOT/.data/secrets.env" ]] || ! grep -q '^Auth__PrivateKey=' "$ROOT/.data/secrets.env"; then
  private_key=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)
  public_key=$(openssl pkey -pubout <<<"$private_key")
  (umask 077; {
    echo "Auth__PrivateKey=\"$private_key\""
    echo "Auth__PublicKey=\"$public_key\""
    echo "Privacy__MatchingKey=$(head -c 48 /dev/urandom | base64 -w0)"
  } > "$ROOT/.data/secrets.env")
  unset private_key public_key
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

# 5. The services and the portal, each its own process. Insights, head office's analytics, runs at a
# lower CPU priority: on one machine its catch-up on a burst of events (a year of balances) must not
# slow the services branch staff are waiting on; it takes what they leave.
declare -A NICENESS=([Insights]=10)
for app in "${APPS[@]}"; do
  pid_alive "$RUN_DIR/$app.pid" && continue
  (cd "$PUBLISH_DIR/$app" && { [[ $app == Portal ]] || unset Auth__PrivateKey; } && ConnectionStrings__Database="$PG_CONNECTION;Database=$(database_of "$app")" \
    exec setsid nice -n "${NICENESS[$app]:-0}" dotnet "BankClientele.$app.dll" --urls "http://127.0.0.1:${PORTS[$app]}" >>"$LOG_DIR/$app.log" 2>&1) &
  echo $! > "$RUN_DIR/$app.pid"
done
# Replicas: the same service again on port +10 (+20, ...), same database and broker. Migrations ran
# once above: replicas never migrate.
for replica in $(replica_names); do
  app=${replica%-*}; n=${replica##*-}; port=$((PORTS[$app] + 10 * (n - 1)))
  pid_alive "$RUN_DIR/$replica.pid" && continue
  (cd "$PUBLISH_DIR/$app" && { [[ $app == Portal ]] || unset Auth__PrivateKey; } && ConnectionStrings__Database="$PG_CONNECTION;Database=$(database_of "$app")" \
    exec setsid nice -n "${NICENESS[$app]:-0}" dotnet "BankClientele.$app.dll" --urls "http://127.0.0.1:$port" >>"$LOG_DIR/$replica.log" 2>&1) &
  echo $! > "$RUN_DIR/$replica.pid"
done
say "Waiting for the services to be ready..."
"${CLI[@]}" wait-ready --timeout 120
for replica in $(replica_names); do
  app=${replica%-*}; n=${replica##*-}; port=$((PORTS[$app] + 10 * (n - 1)))
  SERVICE_KEY=$(sed -E 's/([a-z])([A-Z])/\1-\2/g' <<<"$app" | tr 'A-Z' 'a-z')
  env "Services__$app=http://127.0.0.1:$port" "${CLI[@]}" wait-ready --timeout 120 --service "$SERVICE_KEY" >/dev/null
  say "$replica ready on port $port"
done

# 6. Demo data through the services' own APIs (skipped when already there).
if [[ ${BANKCLIENTELE_SKIP_SEED:-0} != 1 ]]; then
  say "Seeding the demo branch network..."
  "${CLI[@]}" seed
fi

print_welcome
if [[ $DETACH == 1 ]]; then
  say "Running in the background; ./run.sh stop stops it."
  exit 0
fi
say "Press Ctrl-C to stop everything."
while [[ "$(running_apps)" != 0 ]]; do sleep 2; done
