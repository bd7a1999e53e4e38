#!/bin/sh
# Start of docker compose's Kafka (apache/kafka image), authenticated as infra/local/stack.sh runs
# it: SASL/SCRAM-SHA-256 on the client listeners, the controller listener on PLAIN with the admin's
# password, ACLs (StandardAuthorizer, super user `admin`, nothing allowed without an ACL). The ACL
# lines themselves come from infra/local/server-auth.properties.template, the file stack.sh uses.
#
# Why not the image's own start: it formats the storage itself and cannot add SCRAM users, and in
# KRaft the first user (the admin, who adds everything else) can only be created at format time.
# So this script does what the image's start does (KAFKA_* variables become server.properties, the
# storage is formatted with CLUSTER_ID), plus what stack.sh does:
#
# - one user per name in MAESTRO_KAFKA_USERS (the admin and every service), each with a password
#   made once and kept in $SECRETS/credentials.json (the format stack.sh writes and
#   libs/bus/src/credentials-file.ts reads), on a volume the services and the ACL grant read;
# - the users added to the storage at format time (--add-scram). The broker keeps no volume, so
#   every start formats afresh with the passwords of the file.
#
# Without TLS: compose's clients reach the broker on the compose network and on loopback only.
# Not exercised where this repository is tested (no Docker engine there); see docs/architecture.md.
set -eu

SECRETS=${MAESTRO_KAFKA_SECRETS:-/etc/kafka/secrets}
KAFKA_BIN=${MAESTRO_KAFKA_BIN:-/opt/kafka/bin}
TEMPLATES=${MAESTRO_KAFKA_TEMPLATES:-/maestro/infra/local}
CONFIG=${MAESTRO_KAFKA_CONFIG:-/tmp/maestro-kafka/server.properties}
CREDENTIALS="$SECRETS/credentials.json"
: "${CLUSTER_ID:?CLUSTER_ID must be set (22 characters, as kafka-storage.sh random-uuid makes)}"
: "${MAESTRO_KAFKA_USERS:?MAESTRO_KAFKA_USERS must name the admin and every service}"
# The client listener the services use, and the one inter-broker traffic and the admin's JAAS use.
CLIENT_LISTENER=${MAESTRO_KAFKA_CLIENT_LISTENER:-INTERNAL}

password_of() { # user -> password from the credentials file, or nothing (the same sed as stack.sh)
  [ -f "$CREDENTIALS" ] || return 0
  sed -nE "s/.*\"username\": \"$1\", \"password\": \"([^\"]+)\".*/\1/p" "$CREDENTIALS" | head -1
}

# Passwords are kept across starts: services and the ACL grant read them from the same file. It is
# mode 600: readable by uid 1000, which is the image's `appuser` and the Maestro image's `node`
# (an assumption about the apache/kafka image not checked against a Docker engine here).
mkdir -p "$SECRETS" "$(dirname "$CONFIG")"
entries="" separator=""
for user in $MAESTRO_KAFKA_USERS; do
  password=$(password_of "$user")
  [ -n "$password" ] || password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')
  entries="$entries$separator    \"$user\": {\"username\": \"$user\", \"password\": \"$password\"}"
  separator=",
"
done
(umask 077
 printf '{\n  "mechanism": "scram-sha-256",\n  "brokers": "%s",\n  "users": {\n%s\n  }\n}\n' "${MAESTRO_KAFKA_ADVERTISED:-kafka:9092}" "$entries" > "$CREDENTIALS.tmp")
mv "$CREDENTIALS.tmp" "$CREDENTIALS"
admin_password=$(password_of admin)
[ -n "$admin_password" ] || { echo "kafka-start: MAESTRO_KAFKA_USERS has no admin" >&2; exit 64; }

# KAFKA_FOO_BAR=x -> foo.bar=x, as the image does: `___` -> `-`, `__` -> `_`, `_` -> `.`. The
# variables of the start scripts themselves are not broker properties.
(umask 077
 env | sort | while IFS='=' read -r name value; do
   case $name in
     KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|KAFKA_LOG4J_OPTS|KAFKA_GC_LOG_OPTS|KAFKA_JMX_OPTS|KAFKA_DEBUG|KAFKA_VERSION) continue ;;
     KAFKA_*) ;;
     *) continue ;;
   esac
   key=$(printf '%s' "${name#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/%/g' -e 's/_/./g' -e 's/%/_/g')
   printf '%s=%s\n' "$key" "$value"
 done > "$CONFIG"
 listener=$(printf '%s' "$CLIENT_LISTENER" | tr 'A-Z' 'a-z')
 sed -e "s#@ADMIN_PASSWORD@#$admin_password#g" -e "s#@CLIENT_LISTENER@#$listener#g" "$TEMPLATES/server-auth.properties.template" >> "$CONFIG"
 # Every other SASL listener (the one published to the host) needs a SCRAM login section too.
 for other in $(printf '%s' "${KAFKA_LISTENERS:-}" | tr ',' '\n' | sed -nE 's#^([A-Za-z_]+)://.*#\1#p'); do
   case $other in "$CLIENT_LISTENER"|CONTROLLER) continue ;; esac
   printf 'listener.name.%s.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;\n' "$(printf '%s' "$other" | tr 'A-Z' 'a-z')"
 done >> "$CONFIG"
 # For the healthcheck and for operators in the container: an admin client of the client listener.
 printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="%s";\n' "$admin_password" > "$SECRETS/admin-client.properties")

set --
for user in $MAESTRO_KAFKA_USERS; do set -- "$@" --add-scram "SCRAM-SHA-256=[name=$user,password=$(password_of "$user")]"; done
"$KAFKA_BIN/kafka-storage.sh" format -t "$CLUSTER_ID" -c "$CONFIG" --ignore-formatted "$@" >/dev/null
exec "$KAFKA_BIN/kafka-server-start.sh" "$CONFIG"
