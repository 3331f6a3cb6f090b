# Sourced by docker/compose-e2e.sh and bench/image-startup-ab.sh: docker-compose.yml's `sim` profile under
# the project name in $PROJECT, with whichever Compose the machine has (the plugin or docker-compose).

compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose -p "$PROJECT" --profile sim "$@"
  else
    docker-compose -p "$PROJECT" --profile sim "$@"
  fi
}

# True when service $1's container reports healthy.
healthy() {
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$(compose ps -q "$1")" 2>/dev/null)" = healthy ]
}
