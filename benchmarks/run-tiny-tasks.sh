#!/usr/bin/env bash
# The executor must-shows of issue #15: TinyTasksBenchmark with 1,000 / 10,000 / 100,000 tasks and
# 1, 2 and 4 submitting threads (JMH -t), with -prof gc, on the JDK at $JAVA_HOME (default: the
# java on the PATH); then the report of just these runs in benchmarks/target/tiny-tasks-<jdk>/.
# Run it on an otherwise idle machine; every ratio in the report is from one JMH run (one -t).
# About an hour per JDK with the defaults (3 forks, 5 x 2 s warm-ups); extra arguments go to JMH
# (-f 1: about 20 minutes; a short look: -f 1 -wi 3 -w 1 -i 5 -r 1).
set -euo pipefail
cd "$(dirname "$0")/.."

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl benchmarks -am
major=$("$java_bin" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
out=benchmarks/target/tiny-tasks-jdk$major
mkdir -p "$out"

files=()
for threads in 1 2 4; do
  echo "== TinyTasksBenchmark, $threads submitting thread(s), JDK $major"
  "$java_bin" -jar "$jar" 'TinyTasksBenchmark' -p tasks=1000,10000,100000 -t "$threads" \
    -prof gc -rf json -rff "$out/t$threads.json" "$@"
  files+=("$out/t$threads.json")
done

"$java_bin" -Djol.magicFieldOffset=true -cp "$jar" dev.eventual.benchmarks.Footprint \
  "$out/footprint.json"
"$java_bin" -cp "$jar" dev.eventual.benchmarks.Report "$(IFS=,; echo "${files[*]}")" \
  "$out/footprint.json" "$out"
echo "== wrote $out/performance.md"
