#!/usr/bin/env bash
# HTTP/1.1 plaintext under wrk: Spindle's example HttpServer against Netty 4.2 NIO and a
# virtual-thread-per-connection server (JDK 21+ only), side by side.
#
#   scheduler-bench/src/main/scripts/wrk-compare.sh [-d SECONDS] [-w SECONDS] [-c "64 256"]
#
# For each server: start it on a free 127.0.0.1 port (ServeMain binds port 0 and prints the
# port), warm up with one short wrk run, then `wrk -t2 -cC -dDs --latency` for each C; kill the
# server (only the PID started here; also on exit or interrupt). Finally a table:
# server x connections -> requests/s, p50, p99, errors. Raw wrk output stays in the results
# directory printed at the end.
#
# Read the figures with care: wrk and the server share this machine's cores (2 here), so wrk's
# own two threads take CPU from the server. Every server gets the same number of worker threads
# (one per available processor: Spindle's workers, Netty's event loop group plus a boss thread
# that only accepts, the virtual-thread scheduler's parallelism). Each run is short; run the
# script again to see the spread.
#
# Options (or environment):
#   -d SECONDS   WRK_DURATION     seconds per measured wrk run (default 10)
#   -w SECONDS   WRK_WARMUP       seconds of the warm-up run per server (default 3)
#   -c "LIST"    WRK_CONNECTIONS  connection counts (default "64 256")
#   -s MINUTES   WRK_SOAK         instead of the comparison, a soak of Spindle's server alone:
#                                 wrk -t2 -c256 for MINUTES minutes (10 is the release check),
#                                 the server's open descriptors and its heap after a full GC
#                                 read once a minute; passes when wrk saw no error and both
#                                 stayed flat from minute 1 to the last (see soak below)
#   JAVA         the java to run the servers with (default: java on PATH)
#   SERVER_JAVA_OPTS  extra JVM options for every server (say -Dio.netty.noUnsafe=true)
#   WRK_LOCK     lock file taken around all measurements, shared with JMH runs (default /tmp/jmh.lock)
#   WRK_SERVERS  servers to run (default "spindle netty vthreads"; vthreads is skipped before JDK 21)
# Bounded: servers x (warm-up + connection counts x duration) plus start-up; about 1.5 minutes
# with the defaults. Only 127.0.0.1 is used.
set -euo pipefail

DURATION=${WRK_DURATION:-10}
WARMUP=${WRK_WARMUP:-3}
CONNECTIONS=${WRK_CONNECTIONS:-"64 256"}
JAVA=${JAVA:-java}
LOCK=${WRK_LOCK:-/tmp/jmh.lock}
SERVERS=${WRK_SERVERS:-"spindle netty vthreads"}

SOAK=${WRK_SOAK:-}

while getopts "d:w:c:s:h" opt; do
    case $opt in
        d) DURATION=$OPTARG ;;
        w) WARMUP=$OPTARG ;;
        c) CONNECTIONS=$OPTARG ;;
        s) SOAK=$OPTARG ;;
        *) sed -n '2,30p' "$0"; exit 2 ;;
    esac
done
for n in "$DURATION" "$WARMUP" ${SOAK:+"$SOAK"}; do
    [[ $n =~ ^[0-9]+$ && $n -ge 1 ]] || { echo "durations must be whole seconds >= 1, got '$n'" >&2; exit 2; }
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
JAR=$ROOT/scheduler-bench/target/benchmarks.jar

# --- what we need -------------------------------------------------------------------------
if [[ ! -f $JAR ]]; then
    echo "building $JAR ..."
    (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk (Debian package) ..."
    SUDO=
    [[ $(id -u) -eq 0 ]] || SUDO=sudo
    # A fresh image may have no package lists yet: update once and retry.
    $SUDO apt-get install -y wrk || { $SUDO apt-get update && $SUDO apt-get install -y wrk; }
fi
FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
FEATURE=${FEATURE#1.}

RESULTS=$ROOT/scheduler-bench/target/wrk-compare-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"

# --- the one server we started ------------------------------------------------------------
SERVER_PID=
stop_server() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# Starts ServeMain for $1 (an implementation) and sets PORT; returns 3 if it skipped itself.
start_server() {
    local impl=$1 log=$RESULTS/$1-server.log
    # shellcheck disable=SC2086 # options are split on purpose
    "$JAVA" -Xms1g -Xmx1g ${SERVER_JAVA_OPTS:-} -cp "$JAR" dev.spindle.bench.io.ServeMain "$impl" http 0 >"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 200); do # up to 20 s
        if grep -q '^listening ' "$log"; then
            PORT=$(sed -n 's/^listening .* 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log")
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            local rc=0
            wait "$SERVER_PID" || rc=$?
            SERVER_PID=
            cat "$log" >&2
            return "$rc"
        fi
        sleep 0.1
    done
    echo "$impl did not start within 20 s" >&2
    cat "$log" >&2
    return 1
}

# Prints "requests/s p50 p99 errors" from one wrk --latency output.
parse_wrk() {
    awk '
        /^Requests\/sec:/ { rps = $2 }
        /^ *50%/ { p50 = $2 }
        /^ *99%/ { p99 = $2 }
        /Socket errors:/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { err += $5 }
        END { printf "%s %s %s %d\n", rps == "" ? "-" : rps, p50 == "" ? "-" : p50, p99 == "" ? "-" : p99, err }
    ' "$1"
}

# Prints "descriptors heap-KiB" of the server: its open file descriptors, and the heap in use
# right after a full GC that jcmd asks for (the live set, not garbage waiting for a young GC).
sample_server() {
    local jcmd fds heap
    jcmd=$(dirname "$(command -v "$JAVA")")/jcmd
    fds=$(ls "/proc/$SERVER_PID/fd" | wc -l)
    "$jcmd" "$SERVER_PID" GC.run >/dev/null
    heap=$("$jcmd" "$SERVER_PID" GC.heap_info | sed -n 's/.* heap *total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1)
    echo "$fds ${heap:--}"
}

# The soak: Spindle's HTTP server under wrk -c256 for $SOAK minutes, sampled each minute (the
# last sample 10 s before wrk ends, so that it is still taken under load).
# Flat means: at the last minute, no more than 16 descriptors and no more than 10% (at least
# 8 MiB) of heap above minute 1; wrk reported no error.
soak() {
    echo "JDK: $("$JAVA" -version 2>&1 | head -1); soak of spindle: wrk -t2 -c256 for $SOAK min"
    echo "waiting for $LOCK ..."
    exec 9>"$LOCK"
    flock 9
    start_server spindle
    local url=http://127.0.0.1:$PORT/ out=$RESULTS/spindle-soak.txt
    wrk -t2 -c256 -d"${SOAK}m" --timeout 5s --latency "$url" >"$out" &
    local wrk_pid=$! minute first_fds= first_heap= fds heap
    printf '%6s %12s %14s\n' minute descriptors heap-KiB
    for minute in $(seq "$SOAK"); do
        if [[ $minute -lt $SOAK ]]; then sleep 60; else sleep 50; fi
        read -r fds heap < <(sample_server)
        printf '%6s %12s %14s\n' "$minute" "$fds" "$heap"
        if [[ $minute -eq 1 ]]; then first_fds=$fds; first_heap=$heap; fi
    done
    wait "$wrk_pid"
    stop_server
    flock -u 9
    local rps p50 p99 err
    read -r rps p50 p99 err < <(parse_wrk "$out")
    echo "wrk: $rps req/s, p50 $p50, p99 $p99, errors $err (raw: $out)"
    local slack=$(( first_heap / 10 > 8192 ? first_heap / 10 : 8192 ))
    if [[ $err -eq 0 && $fds -le $((first_fds + 16)) && $heap -le $((first_heap + slack)) ]]; then
        echo "soak passed: no errors; descriptors $first_fds -> $fds, heap $first_heap -> $heap KiB"
    else
        echo "soak FAILED: errors $err; descriptors $first_fds -> $fds, heap $first_heap -> $heap KiB" >&2
        exit 1
    fi
}

if [[ -n $SOAK ]]; then
    soak
    exit 0
fi

# --- measure ------------------------------------------------------------------------------
echo "JDK: $("$JAVA" -version 2>&1 | head -1); cores: $(nproc); wrk -t2, ${DURATION}s per run, warm-up ${WARMUP}s${SERVER_JAVA_OPTS:+; server options: $SERVER_JAVA_OPTS}"
echo "waiting for $LOCK ..."
exec 9>"$LOCK"
flock 9

ROWS=()
for impl in $SERVERS; do
    if [[ $impl == vthreads && $FEATURE -lt 21 ]]; then
        echo "vthreads skipped: virtual threads need JDK 21 or later (this JDK is $FEATURE)"
        continue
    fi
    rc=0
    start_server "$impl" || rc=$?
    if [[ $rc -eq 3 ]]; then
        continue # skipped itself with a message
    elif [[ $rc -ne 0 ]]; then
        echo "$impl failed to start (exit $rc)" >&2
        exit 1
    fi
    url=http://127.0.0.1:$PORT/
    echo "$impl on $url (pid $SERVER_PID): warm-up ${WARMUP}s"
    wrk -t2 -c64 -d"${WARMUP}s" "$url" >"$RESULTS/$impl-warmup.txt"
    for c in $CONNECTIONS; do
        out=$RESULTS/$impl-c$c.txt
        wrk -t2 -c"$c" -d"${DURATION}s" --timeout 5s --latency "$url" >"$out"
        read -r rps p50 p99 err < <(parse_wrk "$out")
        echo "  -c$c: $rps req/s, p50 $p50, p99 $p99, errors $err"
        ROWS+=("$impl $c $rps $p50 $p99 $err")
    done
    stop_server
    # Spindle's stall monitor logs a WARNING when a poll seems stuck (also when its worker was
    # only descheduled, wrk sharing the cores): worth knowing beside the figures.
    warnings=$(grep -c 'WARNING' "$RESULTS/$impl-server.log" || true)
    [[ $warnings -eq 0 ]] || echo "  $impl's log has $warnings WARNING lines: $RESULTS/$impl-server.log"
done
flock -u 9

echo
printf '%-10s %6s %14s %10s %10s %8s\n' server conns requests/s p50 p99 errors
for c in $CONNECTIONS; do
    for row in "${ROWS[@]}"; do
        read -r impl rc rps p50 p99 err <<<"$row"
        [[ $rc == "$c" ]] && printf '%-10s %6s %14s %10s %10s %8s\n' "$impl" "$rc" "$rps" "$p50" "$p99" "$err"
    done
done
echo
echo "raw wrk output and server logs: $RESULTS"
