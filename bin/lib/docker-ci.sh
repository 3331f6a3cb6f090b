# Sourced by .ci/run after java21.sh (or run as `bash bin/lib/docker-ci.sh` for the same effect in a shell
# that then only sees the log): brings up a Docker engine where none answers and the machine allows it,
# builds the local images the container tests need, and exports what the Maven build needs to use them.
#
#   lsr_docker_ci          -> sets LSR_DOCKER_READY=1 and LSR_DOCKER_MAVEN_ARGS, exports
#                             TESTCONTAINERS_RYUK_DISABLED=true; or prints ONE line saying why not and
#                             leaves LSR_DOCKER_READY=0 (the embedded broker then runs every IT, as before)
#   lsr_docker_remove_test_containers -> after the build: removes containers the test harness left behind
#
# Where no registry is reachable (these CI machines), nothing is pulled: the images are built from
# Debian's archive (debootstrap), the machine's own JDK 21+ and Kafka's jars from Maven Central:
#   lsr-local/debian:bookworm-minbase         debootstrap --variant=minbase, imported
#   lsr-local/jdk:<major>-<hash>              + the selected JDK at /opt/java/openjdk (docker/jdk)
#   lsr-local/kafka:<kafka.version>-<hash>    + Kafka's jars and apache/kafka's start contract (docker/kafka)
# Each tag carries a hash of its inputs (files, base image, the function that builds it); an image whose tag exists is not rebuilt (the second run on
# a machine builds nothing). LSR_DOCKER=off skips all of it. Logs: $LSR_DOCKER_STATE (/var/tmp/lsr-docker).
# Ryuk (Testcontainers' reaper) cannot be pulled either: it is disabled and the harness stops its
# containers itself.

LSR_DOCKER_STATE=${LSR_DOCKER_STATE:-/var/tmp/lsr-docker}
LSR_DOCKER_READY=0
LSR_DOCKER_MAVEN_ARGS=""

lsr_docker_say() {
  echo "docker-ci: $*"
}

lsr_docker_engine_answers() {
  command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1
}

# Why this machine cannot get an engine by itself, or nothing (it can).
lsr_docker_cannot_install_reason() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "not root"
  elif [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "not Debian"
  fi
}

lsr_docker_install() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  [ ${#missing[@]} -eq 0 ] && return 0
  lsr_docker_say "installing ${missing[*]} with apt-get (log: $LSR_DOCKER_STATE/apt.log)"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >>"$LSR_DOCKER_STATE/apt.log" 2>&1
}

# dockerd in the background, no systemd; waits up to 60 s for it to answer.
lsr_docker_start_engine() {
  lsr_docker_say "starting dockerd (log: $LSR_DOCKER_STATE/dockerd.log)"
  # A dockerd ended with the session that started it leaves its pid file; dockerd refuses to start if
  # that pid now names another live process.
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
    rm -f /var/run/docker.pid
  fi
  setsid dockerd >>"$LSR_DOCKER_STATE/dockerd.log" 2>&1 </dev/null &
  local waited=0
  until lsr_docker_engine_answers; do
    sleep 0.5
    waited=$((waited + 1))
    [ "$waited" -ge 120 ] && return 1
  done
  return 0
}

lsr_docker_image_exists() {
  docker image inspect "$1" >/dev/null 2>&1
}

# A short hash of the files and strings given (files by content, in the order given).
lsr_docker_hash() {
  local item
  for item in "$@"; do
    if [ -f "$item" ]; then sha256sum "$item"; else echo "$item"; fi
  done | sha256sum | cut -c1-12
}

lsr_docker_debian_mirror() {
  local uri
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
  [ -z "$uri" ] && uri=$(awk '/^deb / && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  echo "${uri:-http://deb.debian.org/debian}"
}

lsr_docker_build_debian() {
  local tag=lsr-local/debian:bookworm-minbase
  if lsr_docker_image_exists "$tag"; then echo "$tag"; return 0; fi
  local rootfs="$LSR_DOCKER_STATE/rootfs-bookworm"
  rm -rf "$rootfs"
  lsr_docker_say "debootstrap bookworm minbase (log: $LSR_DOCKER_STATE/debootstrap.log)" >&2
  debootstrap --variant=minbase bookworm "$rootfs" "$(lsr_docker_debian_mirror)" >"$LSR_DOCKER_STATE/debootstrap.log" 2>&1 \
    || return 1
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import - "$tag" >/dev/null || return 1
  rm -rf "$rootfs"
  echo "$tag"
}

# docker build in a fresh context dir; the legacy builder (no BuildKit: its frontend would be pulled).
lsr_docker_build() {
  local tag=$1 context=$2
  shift 2
  DOCKER_BUILDKIT=0 docker build -q --force-rm -t "$tag" "$@" "$context" >>"$LSR_DOCKER_STATE/build.log" 2>&1
}

lsr_docker_build_jdk() {
  local debian=$1 major tag context
  major=$(lsr_java_major "$JAVA_HOME/bin/java")
  tag="lsr-local/jdk:$major-$(lsr_docker_hash "$(declare -f lsr_docker_build_jdk)" "$debian" \
    "$(docker image inspect -f '{{.Id}}' "$debian")" "$JAVA_HOME/release" docker/jdk/Dockerfile)"
  if lsr_docker_image_exists "$tag"; then echo "$tag"; return 0; fi
  lsr_docker_say "building $tag from $JAVA_HOME" >&2
  context="$LSR_DOCKER_STATE/context-jdk"
  rm -rf "$context" && mkdir -p "$context"
  cp docker/jdk/Dockerfile "$context/"
  # -L: a packaged JDK links its cacerts to the machine's /etc/ssl; the image needs the file itself.
  cp -rL "$JAVA_HOME/." "$context/jdk/"
  rm -rf "$context/jdk/lib/src.zip" "$context/jdk/man"
  lsr_docker_build "$tag" "$context" --build-arg "DEBIAN_IMAGE=$debian" || return 1
  rm -rf "$context"
  echo "$tag"
}

lsr_docker_build_kafka() {
  local base=$1 version tag context
  version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' pom.xml | head -1)
  tag="lsr-local/kafka:$version-$(lsr_docker_hash "$(declare -f lsr_docker_build_kafka)" "$base" "$version" \
    $(find docker/kafka -type f | LC_ALL=C sort))"
  if lsr_docker_image_exists "$tag"; then echo "$tag"; return 0; fi
  lsr_docker_say "building $tag (Kafka's jars from Maven)" >&2
  context="$LSR_DOCKER_STATE/context-kafka"
  rm -rf "$context" && mkdir -p "$context"
  cp -r docker/kafka/Dockerfile docker/kafka/bin docker/kafka/etc "$context/"
  # Offline first (the jars the build already resolved); online only for what is missing (kafka-tools).
  local copy=(-B -ntp -q -f docker/kafka/pom.xml dependency:copy-dependencies -Dkafka.version="$version"
    -DincludeScope=runtime -DoutputDirectory="$context/libs")
  ./mvnw -o "${copy[@]}" >>"$LSR_DOCKER_STATE/build.log" 2>&1 || ./mvnw "${copy[@]}" >>"$LSR_DOCKER_STATE/build.log" 2>&1 \
    || return 1
  lsr_docker_build "$tag" "$context" --build-arg "BASE_IMAGE=$base" || return 1
  rm -rf "$context"
  echo "$tag"
}

# Removes older builds of the local JDK and Kafka images (their tags carry other hashes), keeping disk use
# flat across runs; an image still used by a container stays.
lsr_docker_prune_stale() {
  local keep=" $* " image
  for image in $(docker images --format '{{.Repository}}:{{.Tag}}' lsr-local/jdk) \
               $(docker images --format '{{.Repository}}:{{.Tag}}' lsr-local/kafka); do
    case "$keep" in
      *" $image "*) ;;
      *) docker rmi "$image" >/dev/null 2>&1 || true ;;
    esac
  done
  return 0
}

# The highest API version the engine speaks, when older than the one Testcontainers asks for by default
# (1.44): docker.io 20.10 speaks 1.41 and refuses newer clients.
lsr_docker_api_version_arg() {
  local api
  api=$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null)
  if [ -n "$api" ] && [ "$(printf '%s\n1.44\n' "$api" | sort -V | head -1)" = "$api" ] && [ "$api" != 1.44 ]; then
    echo "-Dapi.version=$api"
  fi
}

# Removes the containers the test harness left behind (a test JVM killed outright cannot stop its own).
lsr_docker_remove_test_containers() {
  [ "$LSR_DOCKER_READY" = 1 ] || return 0
  local left
  left=$(docker ps -aq --filter label=dev.lsr.kafka-test-harness)
  if [ -n "$left" ]; then
    lsr_docker_say "removing $(wc -w <<<"$left") test containers left behind"
    docker rm -f $left >/dev/null
  fi
  return 0
}

lsr_docker_ci() {
  if [ "${LSR_DOCKER:-auto}" = off ]; then
    lsr_docker_say "skipped (LSR_DOCKER=off): container tests do not run, the embedded broker runs every IT"
    return 0
  fi
  mkdir -p "$LSR_DOCKER_STATE"
  local started=$SECONDS
  if ! lsr_docker_engine_answers; then
    local reason
    reason=$(lsr_docker_cannot_install_reason)
    if [ -n "$reason" ]; then
      lsr_docker_say "no Docker engine answers and this machine cannot start one ($reason): container tests skipped, the embedded broker runs every IT"
      return 0
    fi
    if ! lsr_docker_install || ! lsr_docker_start_engine; then
      lsr_docker_say "no Docker engine: install or start failed (see $LSR_DOCKER_STATE): container tests skipped, the embedded broker runs every IT"
      return 0
    fi
  fi
  local debian jdk kafka
  # The JDK image is a copy of $JAVA_HOME: unset or empty, "cp -rL $JAVA_HOME/." would copy the whole
  # root filesystem into the build context (it filled this machine's disk once).
  if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
    lsr_docker_say "JAVA_HOME is not a JDK (${JAVA_HOME:-unset}): no local JDK image, container tests skipped, the embedded broker runs every IT"
    return 0
  fi
  if ! debian=$(lsr_docker_build_debian) || ! jdk=$(lsr_docker_build_jdk "$debian") \
      || ! kafka=$(lsr_docker_build_kafka "$jdk"); then
    lsr_docker_say "local image build failed (see $LSR_DOCKER_STATE/*.log): container tests skipped, the embedded broker runs every IT"
    return 0
  fi
  lsr_docker_prune_stale "$jdk" "$kafka"
  export TESTCONTAINERS_RYUK_DISABLED=true
  # Inside a container (/.dockerenv) Testcontainers would find the engine's address by running a helper
  # image, which cannot be pulled here; the engine is this machine's, its published ports are on localhost.
  [ -f /.dockerenv ] && export TESTCONTAINERS_HOST_OVERRIDE=${TESTCONTAINERS_HOST_OVERRIDE:-localhost}
  export LSR_JDK_IMAGE=$jdk LSR_KAFKA_IMAGE=$kafka
  LSR_DOCKER_READY=1
  LSR_DOCKER_MAVEN_ARGS="-Dlsr.containers=true -Dlsr.kafka.image=$kafka $(lsr_docker_api_version_arg)"
  lsr_docker_say "engine $(docker version --format '{{.Server.Version}}'), images $jdk $kafka ready in $((SECONDS - started)) s"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  cd "$(dirname "$0")/../.." || exit 1
  . bin/lib/java21.sh
  lsr_select_java21 || exit 1
  lsr_docker_ci
  echo "LSR_DOCKER_MAVEN_ARGS=$LSR_DOCKER_MAVEN_ARGS"
fi
