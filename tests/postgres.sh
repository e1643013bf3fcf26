#!/usr/bin/env bash
# Provisions the PostgreSQL server that the demo, the tests and the benchmarks use.
#
#   eval "$(tests/postgres.sh)"      # exports POSTGRES_CONNECTION
#   tests/postgres.sh --stop         # stops the project-local cluster
#
# When POSTGRES_CONNECTION is already set, that server is used as it is. Otherwise the script
# installs the distribution's PostgreSQL package if it is missing, creates a project-local cluster
# under .local/postgres (git-ignored), starts it on a free port, waits until it accepts
# connections, and prints the `export POSTGRES_CONNECTION=...` line on stdout (messages go to
# stderr). A second run reuses the running cluster. Exit code 1 with a message when it cannot.
set -euo pipefail

say() { printf 'postgres: %s\n' "$*" >&2; }
die() { printf 'postgres: error: %s\n' "$*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state="$repo/.local/postgres"
database=eventsourcing

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 0
fi

if [[ -n "${POSTGRES_CONNECTION:-}" && "${1:-}" != "--stop" ]]; then
  say "using the server in POSTGRES_CONNECTION"
  printf 'export POSTGRES_CONNECTION=%q\n' "$POSTGRES_CONNECTION"
  exit 0
fi

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { echo "$d"; return 0; }
  done
  return 1
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1; fi
}

bin=$(find_bin || true)
if [[ -z "$bin" ]]; then
  command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is not available. Install PostgreSQL (server binaries under /usr/lib/postgresql/<version>/bin) or set POSTGRES_CONNECTION to a server you have."
  say "installing the distribution's postgresql package (once)"
  as_root true 2>/dev/null || die "PostgreSQL is not installed and this user cannot install packages (not root, no passwordless sudo). Run 'sudo apt-get install -y postgresql' or set POSTGRES_CONNECTION."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed; see the output above"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || die "apt-get install postgresql failed; see the output above"
  bin=$(find_bin) || die "the postgresql package installed no server binaries under /usr/lib/postgresql"
fi

# initdb and postgres refuse to run as root: as root, the cluster belongs to the postgres user.
run_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to own the cluster"
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

# The data directory lives under the repository unless the server user cannot reach it there.
mkdir -p "$state"
data="$state/data"
if [[ $(id -u) -eq 0 ]] && ! su postgres -s /bin/bash -c "test -x $(printf '%q' "$state")" 2>/dev/null; then
  chmod o+x "$state" 2>/dev/null || true
  if ! su postgres -s /bin/bash -c "test -x $(printf '%q' "$state")" 2>/dev/null; then
    alt="/var/tmp/eventsourcing-postgres-$(printf '%s' "$repo" | md5sum | cut -c1-8)"
    say "the postgres user cannot reach $state; keeping the data directory in $alt"
    data="$alt/data"
  fi
fi
if [[ $(id -u) -eq 0 ]]; then
  mkdir -p "$(dirname "$data")"
  chown postgres: "$(dirname "$data")"
fi

if [[ "${1:-}" == "--stop" ]]; then
  if [[ -f "$data/postmaster.pid" ]]; then run_pg "$bin/pg_ctl" -D "$data" -m fast stop >&2; else say "not running"; fi
  exit 0
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [[ ! -f "$data/PG_VERSION" ]]; then
  say "creating a cluster in $data"
  run_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null \
    || die "initdb failed for $data"
fi

port=""
[[ -f "$state/port" ]] && port=$(cat "$state/port")
if run_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  [[ -n "$port" ]] || port=$(sed -n '4p' "$data/postmaster.pid")
  say "reusing the running cluster on port $port"
else
  if [[ -z "$port" ]] || ! port_free "$port"; then
    port=""
    for candidate in $(seq 54329 54429); do
      if port_free "$candidate"; then port=$candidate; break; fi
    done
    [[ -n "$port" ]] || die "no free TCP port between 54329 and 54429"
  fi
  echo "$port" > "$state/port"
  say "starting the cluster on 127.0.0.1:$port"
  run_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=1000 -c shared_buffers=256MB" start >/dev/null \
    || die "the server did not start; see $data/server.log"
fi

deadline=$((SECONDS + 60))
until "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q; do
  (( SECONDS < deadline )) || die "the server on port $port did not accept connections within 60 s; see $data/server.log"
  sleep 0.2
done

if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='$database'" postgres | grep -q 1; then
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "create database $database" postgres >&2 \
    || die "could not create database $database"
fi

connection="Host=127.0.0.1;Port=$port;Database=$database;Username=postgres;Password=postgres"
echo "$connection" > "$state/connection"
say "ready: $connection"
printf 'export POSTGRES_CONNECTION=%q\n' "$connection"
