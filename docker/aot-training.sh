#!/usr/bin/env bash
# The AOT cache's training run (docker/Dockerfile): starts the service as the image will, waits until its
# management port answers, sends the requests it serves, then stops it with SIGTERM as Docker does; the JVM writes
# the cache as it exits. Unlike -Dspring.context.exit=onRefresh, this also records the web servers' start and the
# method profiles of the request path (JEP 515), so that a fresh container's JIT starts from them.
# The gateway proxies to a stand-in replica on 127.0.0.1 (AotTraining replica) under load (AotTraining load,
# TRAINING_SECONDS at 16 connections): what a fresh gateway does first in front of warm replicas. The counter
# meets no Redis in a build, so its requests would all take the 503 path: it gets a few of each kind instead.
#   aot-training.sh MODULE CACHE_FILE TRAINING_CLASSES
set -euo pipefail
module=$1 cache=$2 classes=$3
seconds=${TRAINING_SECONDS:-30}

args=()
if [[ $module == gateway ]]; then
  java -cp "$classes" AotTraining replica 18080 &
  replica=$!
  trap 'kill "$replica" 2>/dev/null || true' EXIT
  args=(--gateway.counter.host=127.0.0.1 --gateway.counter.port=18080 --spring.cloud.loadbalancer.health-check.port=18080)
fi
java @jvm.options -XX:AOTCacheOutput="$cache" -jar app.jar "${args[@]}" &
app=$!

request() { # port method path [header]: the status line
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s\r\n' "$2" "$3" "${4:+$4$'\r\n'}" >&3
  head -n 1 <&3
  exec 3<&-
}

# However slow the builder: a busy 2-core machine has taken over a minute to start a service
wait_for() { # port path status-pattern: until a GET answers with a status line matching it
  local deadline=$((SECONDS + 600))
  until request "$1" GET "$2" 2>/dev/null | grep -q -E "^HTTP/1\.1 $3 "; do
    kill -0 "$app" 2>/dev/null || { echo "aot-training: the service exited before it answered" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "aot-training: no $3 from :$1$2 within 600 s" >&2; exit 1; }
    sleep 0.1
  done
}
# Any answer: the counter is never ready here (its readiness includes Redis)
wait_for 8081 /actuator/health/readiness '[0-9]+'
if [[ $module == gateway ]]; then
  wait_for 8080 /api/visits 200 # the stand-in replica is in the rotation
  java -cp "$classes" AotTraining load http://127.0.0.1:8080/ "$seconds" 16
fi
for _ in $(seq 1 20); do
  request 8081 GET /actuator/health/readiness
  request 8081 GET /actuator/health/liveness
  request 8080 GET /
  request 8080 GET / 'Accept: text/html'
  request 8080 GET /api/visits 'Accept: application/json'
  request 8080 POST /api/visits
done >/dev/null

kill -TERM "$app"
wait "$app" || true
test -s "$cache" || { echo "aot-training: no AOT cache written" >&2; exit 1; }
