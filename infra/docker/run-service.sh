#!/bin/sh
# Entrypoint of the Maestro image: runs one service, chosen by the first argument (the compose
# `command`) or else by MAESTRO_SERVICE (set from the `SERVICE` build arg). Any further arguments go
# to the service.
#
#   docker run maestro planner        -> node --import tsx services/planner/src/main.ts
#   docker build --build-arg SERVICE=router .  and run it with no command
#
# `node --import tsx` instead of the tsx CLI: one process, so SIGTERM from `docker stop` reaches the
# service's own shutdown handler directly rather than through a relaying parent.
set -eu

cd "$(dirname "$0")/../.."

service=${1:-${MAESTRO_SERVICE:-}}
[ "$#" -gt 0 ] && shift

known() { for dir in services/*/; do [ -f "${dir}package.json" ] && basename "$dir"; done | tr '\n' ' ' | sed 's/ $//'; }

if [ -z "$service" ]; then
  echo "run-service: no service given; pass one as the command or set MAESTRO_SERVICE (one of: $(known))" >&2
  exit 64
fi
case $service in
  *[!a-z0-9-]*) echo "run-service: '$service' is not a service name (one of: $(known))" >&2; exit 64 ;;
esac
if [ ! -f "services/$service/package.json" ]; then
  echo "run-service: unknown service '$service' (one of: $(known))" >&2
  exit 64
fi

# On an authenticated broker (KAFKA_SASL_MECHANISM set) the service is its own principal: its user
# is named as the service unless KAFKA_SASL_USERNAME says otherwise, and without KAFKA_SASL_PASSWORD
# its password is read from the credentials file compose's Kafka keeps (infra/docker/kafka-start.sh).
if [ -n "${KAFKA_SASL_MECHANISM:-}" ] && [ "$KAFKA_SASL_MECHANISM" != none ]; then
  KAFKA_SASL_USERNAME=${KAFKA_SASL_USERNAME:-$service}
  export KAFKA_SASL_USERNAME
  if [ -z "${KAFKA_SASL_PASSWORD:-}" ] && [ -n "${MAESTRO_KAFKA_CREDENTIALS:-}" ]; then
    [ -r "$MAESTRO_KAFKA_CREDENTIALS" ] || { echo "run-service: cannot read the Kafka credentials file $MAESTRO_KAFKA_CREDENTIALS" >&2; exit 78; }
    KAFKA_SASL_PASSWORD=$(sed -nE "s/.*\"username\": \"$KAFKA_SASL_USERNAME\", \"password\": \"([^\"]+)\".*/\1/p" "$MAESTRO_KAFKA_CREDENTIALS" | head -1)
    [ -n "$KAFKA_SASL_PASSWORD" ] || { echo "run-service: $MAESTRO_KAFKA_CREDENTIALS has no user $KAFKA_SASL_USERNAME" >&2; exit 78; }
    export KAFKA_SASL_PASSWORD
  fi
fi

exec node --import tsx "services/$service/src/main.ts" "$@"
