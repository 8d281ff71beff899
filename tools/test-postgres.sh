#!/usr/bin/env bash
# A throwaway PostgreSQL server for the run store tests (tests/store), started and stopped by
# `make test`:
#
#   tools/test-postgres.sh start STATE   # start; write MILLNET_TEST_POSTGRES_URL=... to STATE
#                                        # (a file to `source`) and print the URL on stdout
#   tools/test-postgres.sh stop STATE    # stop the server and remove everything it wrote
#
# The server listens on 127.0.0.1 only, on a free port, with trust authentication (no password:
# it lives for one test run and holds only test data), and keeps its data in a temporary folder.
# initdb refuses to run as root, so as root the server runs as the `postgres` user (or `nobody`).
# When no PostgreSQL binaries are found, Debian's `postgresql` package is installed with apt-get
# (needs root or sudo).
set -euo pipefail

say() { echo "test-postgres: $*" >&2; }

find_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
        echo "$dir"
    elif command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
    fi
}

install_postgres() {
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo -n)
        else
            say "PostgreSQL is not installed and installing it needs root; install the"
            say "'postgresql' package, or run pytest without MILLNET_TEST_POSTGRES_URL"
            exit 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        say "PostgreSQL is not installed and apt-get is not available; install PostgreSQL"
        say "(initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin)"
        exit 1
    fi
    local log
    log=$(mktemp)
    say "installing PostgreSQL with apt-get …"
    export DEBIAN_FRONTEND=noninteractive
    if ! { "${sudo[@]}" apt-get update -qq &&
        "${sudo[@]}" apt-get install -y -qq --no-install-recommends postgresql; } >"$log" 2>&1; then
        say "installing postgresql failed:"
        tail -n 20 "$log" >&2
        rm -f "$log"
        exit 1
    fi
    rm -f "$log"
}

# Run a command as the user that owns the server (root may not run it).
as_owner() {
    if [[ "$OWNER" == "$(id -un)" ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$OWNER" -- "$@"
    else
        su -s /bin/sh "$OWNER" -c "$(printf '%q ' "$@")"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local state=$1 bindir dir port attempt url
    bindir=$(find_bindir)
    if [[ -z "$bindir" ]]; then
        install_postgres
        bindir=$(find_bindir)
        [[ -n "$bindir" ]] || { say "PostgreSQL installed but initdb not found"; exit 1; }
    fi
    OWNER=$(id -un)
    if [[ "$(id -u)" == 0 ]]; then
        OWNER=nobody
        id -u postgres >/dev/null 2>&1 && OWNER=postgres
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/millnet-pg.XXXXXX")
    chmod 700 "$dir"
    [[ "$OWNER" == "$(id -un)" ]] || chown "$OWNER" "$dir"
    # written first, so `stop` cleans up even after a failed start
    {
        echo "MILLNET_TEST_POSTGRES_DIR=$dir"
        echo "MILLNET_TEST_POSTGRES_BIN=$bindir"
        echo "MILLNET_TEST_POSTGRES_OWNER=$OWNER"
    } >"$state"
    if ! as_owner "$bindir/initdb" -D "$dir/data" -U millnet -A trust -E UTF8 --locale=C \
        --no-sync >"$dir/initdb.log" 2>&1; then
        say "initdb failed:"
        tail -n 20 "$dir/initdb.log" >&2
        exit 1
    fi
    for attempt in 1 2 3; do
        port=$(free_port)
        # durability settings off: the data lives for one test run
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
            "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            break
        fi
        if [[ $attempt == 3 ]]; then
            say "the server did not start:"
            tail -n 20 "$dir/server.log" >&2
            exit 1
        fi
    done
    echo "MILLNET_TEST_POSTGRES_PORT=$port" >>"$state"
    "$bindir/psql" -q -h 127.0.0.1 -p "$port" -U millnet -d postgres \
        -c "CREATE DATABASE millnet_test" >/dev/null
    url="postgresql+psycopg://millnet@127.0.0.1:$port/millnet_test"
    echo "MILLNET_TEST_POSTGRES_URL=$url" >>"$state"
    echo "$url"
}

stop() {
    local state=$1
    [[ -f "$state" ]] || return 0
    local MILLNET_TEST_POSTGRES_DIR="" MILLNET_TEST_POSTGRES_BIN="" MILLNET_TEST_POSTGRES_OWNER=""
    # shellcheck disable=SC1090
    source "$state"
    local dir=$MILLNET_TEST_POSTGRES_DIR
    [[ -n "$dir" && -d "$dir" ]] || return 0
    OWNER=$MILLNET_TEST_POSTGRES_OWNER
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$MILLNET_TEST_POSTGRES_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
            >/dev/null 2>&1 || say "pg_ctl stop failed (server in $dir)"
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) start "${2:?usage: $0 start STATE_FILE}" ;;
stop) stop "${2:?usage: $0 stop STATE_FILE}" ;;
*)
    echo "usage: $0 start|stop STATE_FILE" >&2
    exit 2
    ;;
esac
