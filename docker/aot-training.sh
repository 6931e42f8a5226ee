#!/usr/bin/env bash
# The AOT cache's training run (docker/Dockerfile): starts the service as the image will, waits until its
# management port answers, sends the requests it serves, then stops it with SIGTERM as Docker does; the JVM writes
# the cache as it exits. Unlike -Dspring.context.exit=onRefresh, this also records the web servers' start and the
# method profiles of the request path (JEP 515), so that a fresh container's JIT starts from them.
# Both services train under load (AotTraining load, TRAINING_SECONDS at 16 connections), on the path they serve:
# the gateway proxies to a stand-in replica on 127.0.0.1 (AotTraining replica), what a fresh gateway does first in
# front of warm replicas; the counter counts visits in a real Redis, the Redis image's own redis-server run from
# its file system (REDIS_ROOT, chroot: nothing of it stays in the image), each request with a request id and
# trace context as the gateway sends them. Should that Redis not start (a builder without chroot), the counter
# trains on a few requests of each kind answered 503, and the build says so.
#   aot-training.sh MODULE CACHE_FILE TRAINING_CLASSES [REDIS_ROOT]
set -euo pipefail
module=$1 cache=$2 classes=$3 redis_root=${4:-}
seconds=${TRAINING_SECONDS:-30}

redis_answers() { # PONG from the training's Redis
  local line
  exec 4<>/dev/tcp/127.0.0.1/16379 || return 1
  printf 'PING\r\n' >&4
  read -r -t 2 line <&4
  exec 4<&-
  [[ $line == +PONG* ]]
}

args=()
helper=""
trap 'if [[ -n $helper ]]; then kill "$helper" 2>/dev/null || true; fi' EXIT
if [[ $module == gateway ]]; then
  java -cp "$classes" AotTraining replica 18080 &
  helper=$!
  args=(--gateway.counter.host=127.0.0.1 --gateway.counter.port=18080 --spring.cloud.loadbalancer.health-check.port=18080)
elif [[ -n $redis_root ]]; then
  chroot "$redis_root" /bin/sh -c 'exec redis-server --bind 127.0.0.1 --port 16379 --save "" --appendonly no' &
  helper=$!
  for _ in $(seq 1 100); do
    if redis_answers 2>/dev/null; then
      args=(--spring.data.redis.host=127.0.0.1 --spring.data.redis.port=16379)
      break
    fi
    sleep 0.1
  done
  if ((${#args[@]} == 0)); then
    echo "aot-training: WARNING: no Redis from $redis_root; the counter trains on answers 503" >&2
    kill "$helper" 2>/dev/null || true
    helper=""
  fi
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
# Any answer: the counter is not ready until it has reached Redis
wait_for 8081 /actuator/health/readiness '[0-9]+'
if [[ $module == gateway ]]; then
  wait_for 8080 /api/visits 200 # the stand-in replica is in the rotation
  java -cp "$classes" AotTraining load http://127.0.0.1:8080/ "$seconds" 16
elif ((${#args[@]})); then
  wait_for 8081 /actuator/health/readiness 200 # connected to Redis
  java -cp "$classes" AotTraining load http://127.0.0.1:8080/ "$seconds" 16 as-gateway
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
