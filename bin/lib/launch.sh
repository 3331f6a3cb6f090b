# Sourced by bin/recorder and bin/consumer: builds MODULE's shaded jar when it is missing or older
# than the sources, then runs it with the given arguments.
set -euo pipefail
LSR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$LSR_ROOT/bin/lib/java21.sh"
lsr_select_java21

lsr_launch() {
  local module="$1"; shift
  local jar
  jar="$(ls "$LSR_ROOT/$module"/target/"$module"-*-all.jar 2>/dev/null | head -n 1 || true)"
  if [ -z "$jar" ] || [ -n "$(find "$LSR_ROOT" -path '*/src/main/*' -newer "$jar" -print -quit)" ]; then
    echo "building $module (first run, or sources changed) ..." >&2
    (cd "$LSR_ROOT" && ./mvnw -q -B -ntp package -DskipTests -pl "$module" -am >&2)
    jar="$(ls "$LSR_ROOT/$module"/target/"$module"-*-all.jar | head -n 1)"
  fi
  local opts=()
  # Kafka's clients use sun.misc.Unsafe, and lz4-java (the producers' default compression) loads its
  # native library; JDK 24+ warns about both on stderr unless allowed (JEP 471/498, JEP 472).
  if [ "$(lsr_java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    opts+=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)
  fi
  exec "$JAVA_HOME/bin/java" "${opts[@]}" ${LSR_JAVA_OPTS:-} -jar "$jar" "$@"
}
