# Sourced by bin/* and .ci/run: exports JAVA_HOME (and PATH) for a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, the default java if it is 21+, else the first 21+ JDK under /usr/lib/jvm.

lsr_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

lsr_select_java21() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(lsr_java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    :
  elif command -v java >/dev/null 2>&1 && [ "$(lsr_java_major java)" -ge 21 ]; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  else
    JAVA_HOME=""
    for candidate in /usr/lib/jvm/*; do
      if [ -x "$candidate/bin/javac" ] && [ "$(lsr_java_major "$candidate/bin/java")" -ge 21 ]; then
        JAVA_HOME="$candidate"
        break
      fi
    done
    if [ -z "$JAVA_HOME" ]; then
      echo "no JDK 21+ found: set JAVA_HOME (checked the default java and /usr/lib/jvm/*)" >&2
      return 1
    fi
  fi
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
}
