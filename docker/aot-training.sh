#!/usr/bin/env bash
# The AOT cache's training run (docker/Dockerfile): starts the service as the image will, waits until its
# management port answers, sends the requests a fresh replica or gateway first serves (readiness checks, visits
# as text and as a page, JSON), then stops it with SIGTERM as Docker does; the JVM writes the cache as it exits.
# Unlike -Dspring.context.exit=onRefresh, this also records the web servers' start, the first requests and their
# method profiles: on 2 cores the counter is ready about 0.4 s sooner, the gateway 0.15 s (benchmarks/README.md).
# Nothing else runs during the build, so the counter meets no Redis and the gateway no replica: their 503 paths
# are what gets trained past start-up.
#   aot-training.sh CACHE_FILE
set -euo pipefail
cache=$1

java @jvm.options -XX:AOTCacheOutput="$cache" -jar app.jar &
app=$!

request() { # port method path [header]
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s\r\n' "$2" "$3" "${4:+$4$'\r\n'}" >&3
  head -n 1 <&3
  exec 3<&-
}

# However slow the builder: a busy 2-core machine has taken over a minute to start a service
deadline=$((SECONDS + 600))
until request 8081 GET /actuator/health/readiness 2>/dev/null; do
  kill -0 "$app" 2>/dev/null || { echo "aot-training: the service exited before it answered" >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "aot-training: the service did not answer within 600 s" >&2; exit 1; }
  sleep 0.1
done
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
