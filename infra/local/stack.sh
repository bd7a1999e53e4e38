#!/usr/bin/env bash
# The local stack without Docker: Apache Kafka (KRaft, one node) and Apicurio Registry (its
# Confluent-compatible API) from Maven Central, plus the machine's Redis.
#
#   stack.sh up        provision what is missing, start what is not running, wait until it answers
#   stack.sh down      stop what `up` started (never an external or pre-existing process)
#   stack.sh status    say what answers where
#   stack.sh provision download and unpack only (cached under ~/.m2 and .stack/)
#   stack.sh reset     down, then delete the broker's data and the registry's schemas
#
# The registry keeps its schemas on disk ($MAESTRO_STACK_DIR/registry-data), as the broker keeps its
# topics: a record's schema id must name the same schema after a restart.
#
# Any part can be external instead: set KAFKA_BROKERS, SCHEMA_REGISTRY_URL or REDIS_URL and that part
# is only checked, never started.
#
# The broker runs authenticated (MAESTRO_KAFKA_AUTH=scram, the default; none for PLAINTEXT):
# SASL/SCRAM-SHA-256 on the client listener, ACLs (StandardAuthorizer, super user `admin`), one user per service. Passwords are made once per
# stack directory and kept in $MAESTRO_STACK_DIR/kafka/credentials.json (mode 600), which `npm start`
# and the tests read to give each service its principal and grant its ACLs (libs/bus/src/acl-grants.ts).
#
# With authentication the client listener also speaks TLS (SASL_SSL; MAESTRO_KAFKA_TLS=off keeps it
# SASL_PLAINTEXT): on the first start stack.sh makes a CA and a broker certificate for 127.0.0.1 and
# localhost with openssl under $MAESTRO_STACK_DIR/kafka/tls (kept and reused; the broker's is made
# again when it nears expiry), and credentials.json names the CA, so every client that reads the file
# trusts exactly that CA. The file is rewritten only when stack.sh starts the broker: it always
# describes the listener that runs. A stack directory from before TLS is taken over as it is (same
# data, users and passwords); only the listener changes when its broker is next started.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/infra/local"
STACK_DIR=${MAESTRO_STACK_DIR:-$ROOT/.stack}
KAFKA_PORT=${MAESTRO_KAFKA_PORT:-9092}
CONTROLLER_PORT=${MAESTRO_KAFKA_CONTROLLER_PORT:-9093}
REGISTRY_PORT=${MAESTRO_REGISTRY_PORT:-8081}
# Apicurio's build always opens a management interface (health, metrics); keep it on loopback.
REGISTRY_MANAGEMENT_PORT=${MAESTRO_REGISTRY_MANAGEMENT_PORT:-9000}
READY_TIMEOUT_S=${MAESTRO_STACK_READY_TIMEOUT_S:-120}
APICURIO_VERSION=3.3.3
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

# The same default as defaultLocalKafkaAuth in libs/bus/src/credentials-file.ts (npm start, the tests).
KAFKA_AUTH=${MAESTRO_KAFKA_AUTH:-scram}
case "$KAFKA_AUTH" in none|scram) ;; *) printf '[stack] error: MAESTRO_KAFKA_AUTH must be none or scram, not %s\n' "$KAFKA_AUTH" >&2; exit 2 ;; esac
# TLS goes with authentication: the clients learn the CA from the credentials file.
default_tls=off
[ "$KAFKA_AUTH" = scram ] && default_tls=on
KAFKA_TLS=${MAESTRO_KAFKA_TLS:-$default_tls}
case "$KAFKA_TLS" in on|off) ;; *) printf '[stack] error: MAESTRO_KAFKA_TLS must be on or off, not %s\n' "$KAFKA_TLS" >&2; exit 2 ;; esac
if [ "$KAFKA_TLS" = on ] && [ "$KAFKA_AUTH" != scram ]; then
  printf '[stack] error: MAESTRO_KAFKA_TLS=on needs MAESTRO_KAFKA_AUTH=scram (clients find the CA in the credentials file it writes)\n' >&2; exit 2
fi

KAFKA_DIR="$STACK_DIR/kafka"
CREDENTIALS="$KAFKA_DIR/credentials.json"
TLS_DIR="$KAFKA_DIR/tls"
REGISTRY_DIR="$STACK_DIR/apicurio-$APICURIO_VERSION"
# Apart from the versioned install, so that an upgrade of Apicurio keeps the schemas.
REGISTRY_DATA_DIR="$STACK_DIR/registry-data"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

docker_hint="Without them, run the stack with Docker instead: docker compose up (see README), or point KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL at running infrastructure."

# --- helpers ---------------------------------------------------------------------------------------

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

java_major() { "$1" -version 2>&1 | sed -nE '1s/.*version "([0-9]+)(\.[0-9]+)*.*/\1/p'; }

# Apicurio Registry 3.3 is compiled for Java 21 (class file 65), Kafka 3.9 runs on 11+. The machine's
# default java may be 17, so look for the newest JDK we can find rather than trusting PATH.
find_java() {
  local min=$1 candidate best="" best_major=0 major
  for candidate in ${MAESTRO_JAVA:-} ${JAVA_HOME:+$JAVA_HOME/bin/java} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    [ -n "$major" ] || continue
    if [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  printf '%s' "$best"
}

require_maven() {
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is not installed; it fetches Kafka and Apicurio from Maven Central. Install it (apt-get install maven). $docker_hint"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The process must outlive this script and not receive a Ctrl-C meant for it, hence its own session;
# the pid file must name the JVM itself (not a wrapper), hence `exec` after writing $$.
spawn_detached() { # pidfile, logfile, workdir, command...
  local pidfile=$1 logfile=$2 dir=$3
  shift 3
  rm -f "$pidfile"
  setsid bash -c 'echo $$ > "$0"; cd "$1"; shift 2; exec "$@"' "$pidfile" "$dir" _ "$@" > "$logfile" 2>&1 < /dev/null &
  # Up to 30 s: on a loaded machine the new bash took more than the 2 s this waited before, and `up`,
  # finding no live pid, returned without waiting for the broker to be ready.
  for _ in $(seq 1 300); do [ -s "$pidfile" ] && return; sleep 0.1; done
}

wait_for() { # name, seconds, command...
  local name=$1 limit=$2 start=$SECONDS
  shift 2
  until "$@"; do
    [ $((SECONDS - start)) -lt "$limit" ] || return 1
    sleep 0.5
  done
  log "$name ready after $((SECONDS - start)) s"
}

# --- provisioning ----------------------------------------------------------------------------------

provision_kafka() {
  if [ -f "$KAFKA_DIR/libs/.complete" ]; then return; fi
  require_maven
  log "fetching Kafka and its logging backend from Maven Central (cached in ~/.m2)…"
  mkdir -p "$KAFKA_DIR/libs"
  mvn -B -q -f "$HERE/kafka-pom.xml" "$DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_DIR/libs" >&2 || die "mvn could not resolve Kafka (command above)."
  touch "$KAFKA_DIR/libs/.complete"
}

provision_registry() {
  if [ -f "$REGISTRY_DIR/.complete" ]; then return; fi
  require_maven
  log "fetching Apicurio Registry $APICURIO_VERSION from Maven Central (about 160 MB once, cached in ~/.m2)…"
  local dl="$STACK_DIR/downloads"
  mkdir -p "$dl" "$REGISTRY_DIR"
  mvn -B -q "$DEP_PLUGIN:copy" -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$dl" >&2 || die "mvn could not resolve io.apicurio:apicurio-registry-app:$APICURIO_VERSION."
  tar -xzf "$dl/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$REGISTRY_DIR"
  rm -f "$dl/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz"
  [ -f "$REGISTRY_DIR/quarkus-run.jar" ] || die "the Apicurio archive has no quarkus-run.jar at its root."
  touch "$REGISTRY_DIR/.complete"
}

# --- Kafka credentials (MAESTRO_KAFKA_AUTH=scram) --------------------------------------------------

# The admin, then one user per service directory, each named as its service.
kafka_users() { printf 'admin\n'; for dir in "$ROOT"/services/*/; do basename "$dir"; done; }

credential_of() { # user -> password from the credentials file, or nothing
  [ -f "$CREDENTIALS" ] || return 0
  sed -nE "s/.*\"username\": \"$1\", \"password\": \"([^\"]+)\".*/\1/p" "$CREDENTIALS" | head -1
}

# Passwords are made once per stack directory and kept: the broker's metadata holds their SCRAM
# hashes. A service added later gets its own on the next `up`. One user per line, so sed reads it back.
ensure_credentials() {
  local user password entries="" separator=""
  for user in $(kafka_users); do
    password=$(credential_of "$user")
    [ -n "$password" ] || password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    entries+="$separator    \"$user\": {\"username\": \"$user\", \"password\": \"$password\"}"
    separator=$',\n'
  done
  mkdir -p "$KAFKA_DIR"
  # The CA's path is relative to this file, so the stack directory can move.
  local tls=""
  [ "$KAFKA_TLS" = on ] && tls='  "tls": {"caFile": "tls/ca.crt"},\n'
  (umask 077; printf '{\n  "mechanism": "scram-sha-256",\n  "brokers": "127.0.0.1:%s",\n'"$tls"'  "users": {\n%s\n  }\n}\n' "$KAFKA_PORT" "$entries" > "$CREDENTIALS.tmp")
  mv "$CREDENTIALS.tmp" "$CREDENTIALS"
}

# Whether the running broker (the one the credentials file was written for) speaks TLS.
running_tls() { [ -f "$CREDENTIALS" ] && grep -q '"tls"' "$CREDENTIALS"; }

scram_arguments() { # --add-scram for every user, for the storage format of a fresh data directory
  local user
  for user in $(kafka_users); do printf -- "--add-scram\nSCRAM-SHA-256=[name=%s,password=%s]\n" "$user" "$(credential_of "$user")"; done
}

# Users the metadata does not have yet (a data directory formatted before they existed, or before
# authentication was turned on) are added through the running broker, as the admin.
add_missing_scram_users() { # java, classpath, log config
  local java=$1 cp=$2 logcfg=$3 user admin_config="$KAFKA_DIR/admin-client.properties"
  # The broker that runs may be one started before this script's TLS default changed: follow it.
  (umask 077
   if running_tls; then
     printf 'security.protocol=SASL_SSL\nssl.truststore.type=PEM\nssl.truststore.location=%s\n' "$TLS_DIR/ca.crt"
   else
     printf 'security.protocol=SASL_PLAINTEXT\n'
   fi > "$admin_config"
   printf 'sasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="%s";\n' "$(credential_of admin)" >> "$admin_config")
  touch "$KAFKA_DIR/scram-users"
  for user in $(kafka_users); do
    grep -qx "$user" "$KAFKA_DIR/scram-users" && continue
    log "adding the Kafka user $user"
    "$java" -cp "$cp" "$logcfg" kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$admin_config" \
      --alter --entity-type users --entity-name "$user" --add-config "SCRAM-SHA-256=[password=$(credential_of "$user")]" >/dev/null \
      || die "could not add the Kafka user $user (ConfigCommand above)"
    printf '%s\n' "$user" >> "$KAFKA_DIR/scram-users"
  done
}

# --- TLS (MAESTRO_KAFKA_TLS=on) --------------------------------------------------------------------

# A CA of this stack directory and a broker certificate it signs, made once and reused. Only the CA's
# certificate leaves this directory (clients trust it); its key stays here to sign the broker's next
# certificate. The broker's key and certificate are kept as a PKCS#12 keystore with a random password.
ensure_tls() {
  command -v openssl >/dev/null 2>&1 || die "openssl is needed to make the stack's TLS certificates. Install it (apt-get install openssl), or run the broker without TLS: MAESTRO_KAFKA_TLS=off."
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  local made=no
  if [ ! -s "$TLS_DIR/ca.crt" ] || [ ! -s "$TLS_DIR/ca.key" ]; then
    log "making the stack's certificate authority: $TLS_DIR/ca.crt"
    (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=Maestro local stack CA" \
      -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
      -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.crt" 2>"$TLS_DIR/openssl.log") || die "openssl could not make the CA: $(cat "$TLS_DIR/openssl.log")"
    chmod 644 "$TLS_DIR/ca.crt"
    made=yes
  fi
  # A new CA, no keystore yet, or a certificate that expires within a day: a new broker certificate.
  if [ $made = yes ] || [ ! -s "$TLS_DIR/broker.p12" ] || ! openssl x509 -checkend 86400 -noout -in "$TLS_DIR/broker.crt" >/dev/null 2>&1; then
    log "making the broker's certificate for 127.0.0.1 and localhost, signed by the stack's CA"
    local password; password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    (umask 077
     printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' > "$TLS_DIR/broker.ext"
     openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" -keyout "$TLS_DIR/broker.key" -out "$TLS_DIR/broker.csr" 2>"$TLS_DIR/openssl.log" \
       && openssl x509 -req -sha256 -days 825 -in "$TLS_DIR/broker.csr" -CA "$TLS_DIR/ca.crt" -CAkey "$TLS_DIR/ca.key" -CAcreateserial \
            -extfile "$TLS_DIR/broker.ext" -out "$TLS_DIR/broker.crt" 2>>"$TLS_DIR/openssl.log" \
       && printf '%s' "$password" > "$TLS_DIR/keystore-password" \
       && openssl pkcs12 -export -name broker -in "$TLS_DIR/broker.crt" -inkey "$TLS_DIR/broker.key" -certfile "$TLS_DIR/ca.crt" \
            -passout "file:$TLS_DIR/keystore-password" -out "$TLS_DIR/broker.p12" 2>>"$TLS_DIR/openssl.log") \
      || die "openssl could not make the broker's certificate: $(cat "$TLS_DIR/openssl.log")"
    rm -f "$TLS_DIR/broker.key" "$TLS_DIR/broker.csr" "$TLS_DIR/broker.ext"
  fi
}

# --- Kafka -----------------------------------------------------------------------------------------

start_kafka() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then log "Kafka: external ($KAFKA_BROKERS)"; return; fi
  if port_open 127.0.0.1 "$KAFKA_PORT"; then
    log "Kafka: already listening on 127.0.0.1:$KAFKA_PORT, reusing it"
    if [ "$KAFKA_AUTH" = scram ] && [ -f "$CREDENTIALS" ]; then
      if [ "$KAFKA_TLS" = on ] && ! running_tls; then
        log "note: that broker was started without TLS and keeps its SASL_PLAINTEXT listener (clients follow $CREDENTIALS); restart it with TLS: $0 down && $0 up"
      elif [ "$KAFKA_TLS" = off ] && running_tls; then
        log "note: that broker was started with TLS and keeps its SASL_SSL listener (clients follow $CREDENTIALS); restart it without: MAESTRO_KAFKA_TLS=off, $0 down && $0 up"
      fi
    fi
    return
  fi
  local java; java=$(find_java 11)
  [ -n "$java" ] || die "no Java 11+ found (Kafka needs it; Java 17 is recommended). Install one (apt-get install openjdk-17-jre-headless). $docker_hint"
  provision_kafka
  mkdir -p "$KAFKA_DIR/data"
  local client_protocol=PLAINTEXT controller_protocol=PLAINTEXT scram=()
  if [ "$KAFKA_AUTH" = scram ]; then
    client_protocol=SASL_PLAINTEXT controller_protocol=SASL_PLAINTEXT
    if [ "$KAFKA_TLS" = on ]; then client_protocol=SASL_SSL; ensure_tls; fi
    ensure_credentials
    mapfile -t scram < <(scram_arguments)
  fi
  # A directory started before with another client listener (SASL_PLAINTEXT before TLS) keeps its data,
  # users and passwords: the listener is not part of the stored metadata, and the broker registers
  # again with the new one. Only the clients change, and they read the new credentials file.
  local previous
  previous=$(sed -nE 's/^listeners=([A-Z_]+):.*/\1/p' "$KAFKA_DIR/server.properties" 2>/dev/null || true)
  if [ -n "$previous" ] && [ "$previous" != "$client_protocol" ]; then
    log "the client listener changes from $previous to $client_protocol (data, users and passwords kept)"
  fi
  (umask 077
   sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$KAFKA_DIR/data#g" \
     -e "s#@CLIENT_PROTOCOL@#$client_protocol#g" -e "s#@CONTROLLER_PROTOCOL@#$controller_protocol#g" \
     "$HERE/server.properties.template" > "$KAFKA_DIR/server.properties"
   if [ "$KAFKA_AUTH" = scram ]; then
     sed -e "s#@ADMIN_PASSWORD@#$(credential_of admin)#g" -e "s#@CLIENT_LISTENER@#$(printf '%s' "$client_protocol" | tr 'A-Z' 'a-z')#g" \
       "$HERE/server-auth.properties.template" >> "$KAFKA_DIR/server.properties"
   fi
   if [ "$KAFKA_TLS" = on ]; then
     sed -e "s#@TLS_DIR@#$TLS_DIR#g" -e "s#@KEYSTORE_PASSWORD@#$(cat "$TLS_DIR/keystore-password")#g" \
       "$HERE/server-tls.properties.template" >> "$KAFKA_DIR/server.properties"
   fi)
  local cp="$KAFKA_DIR/libs/*" logcfg="-Dlog4j.configuration=file:$HERE/log4j.properties"
  if [ ! -f "$KAFKA_DIR/cluster-id" ]; then
    "$java" -cp "$cp" "$logcfg" kafka.tools.StorageTool random-uuid 2>/dev/null > "$KAFKA_DIR/cluster-id"
  fi
  local fresh=no
  [ -f "$KAFKA_DIR/data/meta.properties" ] || fresh=yes
  # Users are added later only as the admin, and the admin itself only at format time: a directory
  # formatted without authentication has no user to start from (the controller quorum does not take
  # SCRAM changes directly).
  if [ "$KAFKA_AUTH" = scram ] && [ $fresh = no ] && ! grep -qx admin "$KAFKA_DIR/scram-users" 2>/dev/null; then
    die "the broker's data in $KAFKA_DIR/data was formatted without authentication, so it has no Kafka admin user. Delete it (MAESTRO_KAFKA_AUTH=scram $0 reset, which stops Kafka; its topics are lost) or use another MAESTRO_STACK_DIR."
  fi
  # --add-scram only takes effect on a fresh directory; later users are added once the broker runs.
  # A formatted directory is left alone: formatting it again would do nothing but cost a JVM start
  # (seconds on a loaded machine) on every restart of the broker.
  if [ $fresh = yes ]; then
    "$java" -cp "$cp" "$logcfg" kafka.tools.StorageTool format -t "$(cat "$KAFKA_DIR/cluster-id")" \
      -c "$KAFKA_DIR/server.properties" --ignore-formatted "${scram[@]}" >/dev/null 2>"$KAFKA_DIR/format.log" \
      || die "formatting the KRaft storage failed: $(cat "$KAFKA_DIR/format.log")"
  fi
  if [ "$KAFKA_AUTH" = scram ] && [ $fresh = yes ]; then kafka_users > "$KAFKA_DIR/scram-users"; fi
  local mode=""
  [ "$KAFKA_AUTH" = scram ] && mode=" (SASL/SCRAM, ACLs)"
  [ "$KAFKA_TLS" = on ] && mode=" (TLS, SASL/SCRAM, ACLs; CA $TLS_DIR/ca.crt)"
  log "starting Kafka on 127.0.0.1:$KAFKA_PORT$mode"
  spawn_detached "$KAFKA_DIR/kafka.pid" "$KAFKA_DIR/kafka.log" "$KAFKA_DIR" \
    "$java" -Xms128m -Xmx512m -XX:+UseSerialGC -cp "$cp" "$logcfg" kafka.Kafka "$KAFKA_DIR/server.properties"
}

# --- registry --------------------------------------------------------------------------------------

registry_answers() { curl -sf -m 2 "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects" >/dev/null 2>&1; }

start_registry() {
  if [ -n "${SCHEMA_REGISTRY_URL:-}" ]; then log "schema registry: external ($SCHEMA_REGISTRY_URL)"; return; fi
  if port_open 127.0.0.1 "$REGISTRY_PORT"; then log "schema registry: already listening on 127.0.0.1:$REGISTRY_PORT, reusing it"; return; fi
  local java; java=$(find_java 21)
  [ -n "$java" ] || die "Apicurio Registry $APICURIO_VERSION needs Java 21 or newer and none was found (looked at MAESTRO_JAVA, JAVA_HOME, PATH and /usr/lib/jvm). Install a JDK 21+ or set MAESTRO_JAVA. $docker_hint"
  provision_registry
  # Kept on disk (H2 in a file), not in memory: the broker keeps its topics across a restart, and the
  # schema id in each record must go on naming the schema it was written with. In memory, a restarted
  # registry numbered the schemas afresh in the order the services registered them, and records
  # written before read as other types (the dispatcher could not replay its executions and did not
  # start). WRITE_DELAY=0 commits each registration at once, so a killed registry loses none.
  local fresh_registry=no
  [ -f "$REGISTRY_DATA_DIR/registry.mv.db" ] || fresh_registry=yes
  if [ $fresh_registry = yes ] && [ "$BROKER_DATA_BEFORE" = yes ]; then
    log "warning: the broker's topics in $KAFKA_DIR/data were written under a registry that kept no schemas (before it was kept on disk); records written then may not be readable. $0 reset deletes them (the topics are lost)."
  fi
  mkdir -p "$REGISTRY_DATA_DIR"
  log "starting Apicurio Registry on 127.0.0.1:$REGISTRY_PORT ($java; schemas in $REGISTRY_DATA_DIR)"
  # BACKWARD as the global rule matters: the Confluent client reads /config/{subject} and refuses
  # to register when the level differs from what it asks for.
  spawn_detached "$REGISTRY_DIR/registry.pid" "$REGISTRY_DIR/registry.log" "$REGISTRY_DIR" \
    "$java" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$REGISTRY_MANAGEMENT_PORT" \
    -Dapicurio.rules.global.compatibility=BACKWARD \
    "-Dapicurio.datasource.url=jdbc:h2:file:$REGISTRY_DATA_DIR/registry;WRITE_DELAY=0" \
    -jar quarkus-run.jar
}

# --- Redis -----------------------------------------------------------------------------------------

REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
redis_host() { local hp=${REDIS_URL#*://}; hp=${hp#*@}; hp=${hp%%/*}; printf '%s' "${hp%%:*}"; }
redis_port() { local hp=${REDIS_URL#*://}; hp=${hp#*@}; hp=${hp%%/*}; [[ $hp == *:* ]] && printf '%s' "${hp##*:}" || printf 6379; }

redis_answers() {
  local reply
  # In a subshell: `exec` with a redirection would otherwise rebind this script's own descriptors.
  reply=$( { exec 4<>"/dev/tcp/$(redis_host)/$(redis_port)" && printf 'PING\r\n' >&4 && read -r -t 2 line <&4 && printf '%s' "$line"; } 2>/dev/null ) || true
  # NOAUTH also proves a Redis is there; the services authenticate with the URL's credentials.
  [[ $reply == +PONG* || $reply == -NOAUTH* ]]
}

ensure_redis() {
  if redis_answers; then log "Redis: $REDIS_URL answers"; return; fi
  local host; host=$(redis_host)
  if [[ $host != 127.0.0.1 && $host != localhost ]]; then die "Redis at $REDIS_URL does not answer PING."; fi
  command -v redis-server >/dev/null 2>&1 || die "no Redis answers at $REDIS_URL and redis-server is not installed. Install it (apt-get install redis-server) or set REDIS_URL. $docker_hint"
  log "starting redis-server on 127.0.0.1:$(redis_port) (no persistence)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$(redis_port)" --save '' --appendonly no \
    --pidfile "$STACK_DIR/redis.pid" --logfile "$STACK_DIR/redis.log" >/dev/null
  wait_for Redis 15 redis_answers || die "redis-server started but does not answer on $REDIS_URL (log: $STACK_DIR/redis.log)."
}

# --- commands --------------------------------------------------------------------------------------

kafka_ready() {
  port_open 127.0.0.1 "$KAFKA_PORT" && grep -q 'Transition from STARTING to STARTED (kafka.server.BrokerServer)' "$KAFKA_DIR/kafka.log" 2>/dev/null
}

up() {
  local start=$SECONDS
  mkdir -p "$STACK_DIR"
  # Whether the broker kept topics from before this start (start_kafka formats a fresh directory).
  BROKER_DATA_BEFORE=no
  if [ -z "${KAFKA_BROKERS:-}" ] && [ -f "$KAFKA_DIR/data/meta.properties" ]; then BROKER_DATA_BEFORE=yes; fi
  ensure_redis
  start_kafka
  start_registry
  if pid_alive "$KAFKA_DIR/kafka.pid"; then
    wait_for Kafka "$READY_TIMEOUT_S" kafka_ready || die "Kafka did not start within ${READY_TIMEOUT_S} s; last lines of $KAFKA_DIR/kafka.log: $(tail -5 "$KAFKA_DIR/kafka.log")"
    if [ "$KAFKA_AUTH" = scram ]; then
      add_missing_scram_users "$(find_java 11)" "$KAFKA_DIR/libs/*" "-Dlog4j.configuration=file:$HERE/log4j.properties"
    fi
  fi
  if [ -z "${SCHEMA_REGISTRY_URL:-}" ]; then
    wait_for 'schema registry' "$READY_TIMEOUT_S" registry_answers || die "the registry did not answer within ${READY_TIMEOUT_S} s; last lines of $REGISTRY_DIR/registry.log: $(tail -5 "$REGISTRY_DIR/registry.log" 2>/dev/null)"
  fi
  log "stack up in $((SECONDS - start)) s: Kafka ${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}, registry ${SCHEMA_REGISTRY_URL:-http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7}, Redis $REDIS_URL"
}

stop_pid() { # name, pidfile
  local name=$1 file=$2 pid
  pid_alive "$file" || { rm -f "$file"; return 0; }
  pid=$(cat "$file")
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "$name ignored SIGTERM for 30 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$file"
}

down() {
  stop_pid 'schema registry' "$REGISTRY_DIR/registry.pid"
  stop_pid Kafka "$KAFKA_DIR/kafka.pid"
  stop_pid Redis "$STACK_DIR/redis.pid"
}

status() {
  local k=down r=down d=down
  port_open 127.0.0.1 "$KAFKA_PORT" && k=up
  registry_answers && r=up
  redis_answers && d=up
  printf 'kafka    127.0.0.1:%s  %s\nregistry 127.0.0.1:%s  %s\nredis    %s  %s\n' "$KAFKA_PORT" "$k" "$REGISTRY_PORT" "$r" "$REDIS_URL" "$d"
  [ "$k$r$d" = upupup ]
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  provision) mkdir -p "$STACK_DIR"; provision_kafka; provision_registry; log "provisioned under $STACK_DIR" ;;
  # The registry's schemas go with the topics whose records name them.
  reset) down; rm -rf "$KAFKA_DIR/data" "$KAFKA_DIR/cluster-id" "$KAFKA_DIR/scram-users" "$REGISTRY_DATA_DIR"; log "broker data and registry schemas deleted" ;;
  *) echo "usage: $0 up|down|status|provision|reset" >&2; exit 2 ;;
esac
