# Sourced by bin/recorder and bin/consumer: builds the app module's runnable jars when they are missing
# or older than the sources of any module, then runs TOOL's jar (app/target/app-VERSION-TOOL.jar) with
# the given arguments.
set -euo pipefail
LSR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$LSR_ROOT/bin/lib/java21.sh"
lsr_select_java21

lsr_launch() {
  local tool="$1"; shift
  local jar
  jar="$(ls "$LSR_ROOT"/app/target/app-*-"$tool".jar 2>/dev/null | head -n 1 || true)"
  if [ -z "$jar" ] || [ -n "$(find "$LSR_ROOT" -path '*/src/main/*' -newer "$jar" -print -quit)" ]; then
    echo "building the $tool (first run, or sources changed) ..." >&2
    (cd "$LSR_ROOT" && ./mvnw -q -B -ntp package -DskipTests -pl app -am >&2)
    jar="$(ls "$LSR_ROOT"/app/target/app-*-"$tool".jar | head -n 1)"
  fi
  local opts=()
  # Kafka's clients use sun.misc.Unsafe, and lz4-java (the producers' default compression) loads its
  # native library; JDK 24+ warns about both on stderr unless allowed (JEP 471/498, JEP 472).
  if [ "$(lsr_java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    opts+=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)
  fi
  exec "$JAVA_HOME/bin/java" "${opts[@]}" ${LSR_JAVA_OPTS:-} -jar "$jar" "$@"
}
