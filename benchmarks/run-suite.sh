#!/usr/bin/env bash
# Runs the whole benchmark suite and regenerates docs/performance.md and docs/performance.svg.
# About 40 minutes on 2 cores (5 x 2 s warm-ups); run it on an otherwise idle machine. Steps:
#   1. package the benchmarks (mvn; the JMH jar is benchmarks/target/benchmarks.jar);
#   2. every JMH benchmark on the default JDK            -> docs/jmh-result.json
#   3. the JOL footprint                                 -> docs/footprint.json
#   4. the loop benchmarks ('Loop*'), the executors ('TinyTasks') and the single-thread floors
#      ('CreateComplete', 'OneCallback') on the newest JDK 21+ found (the await target is for JDK 25):
#      $NEWER_JAVA_HOME if set, else the newest under /usr/lib/jvm -> docs/jmh-result-newer-jdk.json
#   5. CPython's own futures on the same scenarios, if python3 is there -> docs/cpython-result.json
#   6. the report (with docs/echo-result.json of run-echo.sh, if there) -> docs/performance.md, .svg
# Steps 4 and 5 are skipped (and their old JSON removed) when no JDK 21+ or no python3 is found;
# the report then says so.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
newer_json=docs/jmh-result-newer-jdk.json
cpython_json=docs/cpython-result.json

java_major() { # prints the feature version of the java at $1/bin/java
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

newest_jdk21() { # prints the home of the newest JDK 21+ under /usr/lib/jvm, or nothing
  local best="" best_major=0 home major
  for home in /usr/lib/jvm/*/; do
    home=${home%/}
    [ -x "$home/bin/java" ] || continue
    major=$(java_major "$home")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$home
      best_major=$major
    fi
  done
  echo "$best"
}

mvn -B -q -DskipTests package -pl benchmarks -am

echo "== JMH, every benchmark, on $(java -version 2>&1 | head -n 1)"
default_major=$(java_major "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
if [ "${default_major:-0}" -lt 21 ]; then
  # no continuations nor virtual threads before 21: those task runtimes would only fall back
  java -jar "$jar" -e 'LoopTasksBenchmark\.(continuation|virtualThreads)|PingPong\.(continuation|virtualThreads)' \
    -prof gc -rf json -rff docs/jmh-result.json
else
  java -jar "$jar" -prof gc -rf json -rff docs/jmh-result.json
fi

echo "== footprint"
java -Djol.magicFieldOffset=true -cp "$jar" dev.eventual.benchmarks.Footprint docs/footprint.json

newer_home=${NEWER_JAVA_HOME:-$(newest_jdk21)}
if [ -n "$newer_home" ] && [ "$(java_major "$newer_home")" -ge 21 ]; then
  echo "== JMH, the loop, executor and floor benchmarks, on JDK $(java_major "$newer_home") at $newer_home"
  "$newer_home/bin/java" -jar "$jar" 'Loop|TinyTasks|CreateComplete|OneCallback' -prof gc -rf json -rff "$newer_json"
else
  echo "== no JDK 21+ found (set NEWER_JAVA_HOME): the loop benchmarks run on the default JDK only"
  rm -f "$newer_json"
fi

if command -v python3 > /dev/null; then
  echo "== CPython's futures"
  python3 benchmarks/cpython_bench.py --out "$cpython_json"
else
  echo "== no python3: CPython is left out"
  rm -f "$cpython_json"
fi

echo_args=()
[ -f docs/echo-result.json ] && echo_args=(--echo=docs/echo-result.json) # benchmarks/run-echo.sh
java -cp "$jar" dev.eventual.benchmarks.Report docs/jmh-result.json docs/footprint.json docs \
  --newer-jdk="$newer_json" --cpython="$cpython_json" "${echo_args[@]}"
echo "== wrote docs/performance.md and docs/performance.svg"
