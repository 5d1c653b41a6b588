#!/usr/bin/env bash
# The echo benchmark of the loop's I/O (issue #18): one load generator (EchoLoad: 100 connections,
# 1 KiB request/response messages, closed loop per connection) against each server in turn, every
# server in its own process on 127.0.0.1, the server pinned to CPU 0 and the load to CPU 1 when
# taskset exists. Writes docs/echo-result.json and prints msgs/s, p99 and the ratios.
#   usage: benchmarks/run-echo.sh [measure-seconds]   (WARMUP=3 by default; OUT=file instead of docs/echo-result.json)
# Servers: eventual's protocol, buffered-protocol and streams echo on JDK 17 and on the newest JDK 21+,
# Netty's NioEventLoop echo, a virtual-thread blocking echo (JDK 21+), CPython asyncio's protocol
# and streams echo, and uvloop's (Debian's python3-uvloop, installed here when missing and root).
# EchoLoad also reads each server's CPU time (/proc/<pid>/stat) over the measured interval: messages
# per server CPU second is the server's capacity on its core, whether or not the one generator
# could drive it to that rate (load_cpu_share near 1: the generator was the limit).
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl benchmarks -am
measure=${1:-10}
warmup=${WARMUP:-3}
out=${OUT:-docs/echo-result.json}
newer=${NEWER_JAVA_HOME:-}
if [ -z "$newer" ]; then
  for home in /usr/lib/jvm/*/; do
    home=${home%/}
    [ -x "$home/bin/java" ] || continue
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then newer=$home; fi
  done
fi
# Debian's python3 (the one python3-uvloop installs into) runs every Python server, asyncio's too
py=${PYTHON:-python3}
[ -x /usr/bin/python3 ] && py=${PYTHON:-/usr/bin/python3}
if ! "$py" -c 'import uvloop' 2> /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    apt-get install -y -q python3-uvloop > /dev/null 2>&1 || echo "(python3-uvloop could not be installed)"
  fi
fi
pin_server=() pin_load=()
if command -v taskset > /dev/null && [ "$(nproc)" -ge 2 ]; then
  pin_server=(taskset -c 0) pin_load=(taskset -c 1)
fi

port=18800
ticks=$(getconf CLK_TCK 2> /dev/null || echo 100)
results=()
run_one() { # name, then the server command
  local name=$1; shift
  port=$((port + 1))
  local log
  log=$(mktemp)
  "${pin_server[@]}" "$@" "$port" > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    grep -q READY "$log" && break
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  if ! grep -q READY "$log"; then
    echo "$name: did not start: $(tail -n 3 "$log")"
    kill "$pid" 2> /dev/null || true
    return
  fi
  local json
  json=$("${pin_load[@]}" java -cp "$jar" dev.eventual.benchmarks.echo.EchoLoad \
    127.0.0.1 "$port" 100 1024 "$warmup" "$measure" "$pid" "$ticks")
  kill "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  rm -f "$log"
  echo "$name: $json"
  results+=("{\"server\": \"$name\", \"result\": $json}")
}

main=dev.eventual.benchmarks.echo.EchoServer
# a task per connection: on JDK 21+ continuations on the loop's thread need this export
cont="--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"
run_one "eventual protocol (JDK 17)" java -cp "$jar" $main eventual-protocol
run_one "eventual buffered protocol (JDK 17)" java -cp "$jar" $main eventual-buffered
run_one "eventual streams (JDK 17)" java -cp "$jar" $main eventual-streams
run_one "Netty NIO (JDK 17)" java -cp "$jar" $main netty-nio
if [ -n "$newer" ]; then
  v=$("$newer/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  run_one "eventual protocol (JDK $v)" "$newer/bin/java" -cp "$jar" $main eventual-protocol
  run_one "eventual streams (JDK $v)" "$newer/bin/java" $cont -cp "$jar" $main eventual-streams
  run_one "Netty NIO (JDK $v)" "$newer/bin/java" -cp "$jar" $main netty-nio
  run_one "virtual threads, blocking (JDK $v)" "$newer/bin/java" -cp "$jar" $main vt-blocking
fi
pyv=$("$py" -c 'import platform; print(platform.python_version())')
run_one "CPython $pyv asyncio protocol" "$py" benchmarks/echo_server.py asyncio-protocol
run_one "CPython $pyv asyncio streams" "$py" benchmarks/echo_server.py asyncio-streams
if "$py" -c 'import uvloop' 2> /dev/null; then
  run_one "uvloop $("$py" -c 'import uvloop; print(uvloop.__version__)') protocol" "$py" benchmarks/echo_server.py uvloop-protocol
  run_one "uvloop $("$py" -c 'import uvloop; print(uvloop.__version__)') streams" "$py" benchmarks/echo_server.py uvloop-streams
fi

{
  echo "["
  for i in "${!results[@]}"; do
    [ "$i" -gt 0 ] && echo ","
    echo "  ${results[$i]}"
  done
  echo "]"
} > "$out"
echo "wrote $out"
