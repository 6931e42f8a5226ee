# Renders the Markdown report of benchmarks/run from the files it wrote in $WORK. Sourced by benchmarks/run.

# Mean over the rounds of one column, for one phase, target and connection count
mean_of() { # phase target conns column
  awk -F'\t' -v ph="$1" -v t="$2" -v c="$3" -v col="$4" \
    '$1 == ph && $2 == t && $3 == c { s += $col; n++ } END { if (n) printf "%.2f", s / n; else print "nan" }' "$RUNS"
}

median_startup() { # kind aot column(3 wall, 4 jvm): "median (min–max)" in seconds
  awk -F'\t' -v k="$1" -v a="$2" -v col="$3" '$1 == k && $2 == a && $col != "?" { v[++n] = $col }
    END {
      if (!n) { print "–"; exit }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      if (n == 1) printf "%.2f (1 run)", m
      else printf "%.2f (%.2f–%.2f, %d runs)", m, v[1], v[n], n
    }' "$STARTUP"
}

median_value() { # kind aot column: the median alone
  median_startup "$@" | awk '{ print $1 }'
}

met() { # awk condition on numbers → "met" / "**not met**"
  awk "BEGIN { if ($1) print \"met\"; else print \"**not met**\" }"
}

# A container that restarted during a run started its CPU counter again from zero: its figures, and the sums that
# include them, are shown as "?" (the events column names the containers, e.g. "counter_2: restarted 1x")
AWK_F='
function bad(k) { return index($col["events"], k ":") > 0 }
function f(x, broken) { return (broken || x < 0) ? "?" : sprintf("%.2f", x) }
function entry(t) { return (t == "direct") ? "direct" : t }
function front(t) { return (t == "haproxy") ? $col["haproxy"] : (t == "nginx") ? $col["nginx"] + $col["haproxy"] : (t == "gateway") ? $col["gateway"] : 0 }
function front_bad(t) { return (t == "nginx") ? bad("nginx") || bad("haproxy") : bad(t) }
function counters(t) { return (t == "direct") ? $col["direct"] : $col["counter_1"] + $col["counter_2"] + $col["counter_3"] }
function counters_bad(t) { return (t == "direct") ? bad("direct") : bad("counter_1") || bad("counter_2") || bad("counter_3") }
function all(   k, s) { for (k in col) if (k ~ /^(gateway|haproxy|nginx|counter_[0-9]|direct|redis)$/) s += $col[k]; return s }
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
'

runs_table() { # phase
  awk -F'\t' -v ph="$1" -v cores="$CORES" "$AWK_F"'
    $1 == ph {
      per = ($6 > 0) ? 1e4 / $6 : 0
      broken = ($col["events"] != "")
      outside = $col["busy"] - all() - $col["proxy"] - $col["dockerd"] - $col["wrk"]
      offered = (ph == "rate") ? sprintf(" %s |", $5) : ""
      printf "| %s | %s | %s |%s %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f%% | %s |\n",
        $2, $3, $4, offered, $8, $9, $11, $12, $14 (broken ? " ⚠" : ""),
        ($2 == "direct") ? "–" : f(front($2) * per, front_bad($2)), f(counters($2) * per, counters_bad($2)),
        f($col["redis"] * per, bad("redis")), f(all() * per, broken), f(($col["proxy"] + $col["wrk"]) * per, bad($2)),
        100 * $col["busy"] / ($col["wall"] * cores), broken ? "?" : sprintf("%.1f", outside)
    }' "$RUNS"
}

cpu_table() {
  awk -F'\t' "$AWK_F"'
    $1 != "warmup" {
      per = ($6 > 0) ? 1e4 / $6 : 0
      printf "| %s | %s | %s | %s |", $1, $2, $3, $4
      n = split("gateway haproxy nginx counter_1 counter_2 counter_3 direct redis", k, " ")
      for (i = 1; i <= n; i++) printf " %s |", f($col[k[i]] * per, bad(k[i]))
      printf " %s | %s | %s |\n", f($col["proxy"] * per, bad($2)), f($col["dockerd"] * per), f($col["wrk"] * per)
    }' "$RUNS"
}

summary_table() {
  local conns target
  for conns in $CONNECTIONS; do
    for target in "${TARGETS[@]}"; do
      awk -F'\t' -v t="$target" -v c="$conns" "$AWK_F"'
        $1 == "fixed" && $2 == t && $3 == c {
          n++; rps += $8; p50 += $9; p99 += $11
          if (!lo || $8 < lo) lo = $8
          if ($8 > hi) hi = $8
          if ($col["events"] == "") { cpu += all(); req += $6 }
        }
        END {
          if (n) printf "| %s | %s | %.0f | %.0f–%.0f | %.2f | %.2f | %s |\n", t, c, rps / n, lo, hi, p50 / n, p99 / n,
            req ? sprintf("%.2f", 1e4 * cpu / req) : "? (restarts in every round)"
        }' "$RUNS"
    done
  done
}

ratio_rows() {
  local conns what
  for what in "gateway haproxy req/s" "gateway direct req/s" "gateway nginx req/s" "gateway haproxy cpu"; do
    set -- $what
    printf '| %s / %s (%s) |' "$1" "$2" "$([[ $3 == cpu ]] && echo 'CPU of the front per request, rounds without restarts' || echo 'req/s')"
    for conns in $CONNECTIONS; do
      awk -F'\t' -v a="$1" -v b="$2" -v c="$conns" -v what="$3" "$AWK_F"'
        $1 == "fixed" && $3 == c && ($2 == a || $2 == b) {
          x[$2, $4] = (what == "cpu") ? front($2) / $6 : $8
          ok[$2, $4] = (what != "cpu" || !front_bad($2))
          if ($4 > rounds) rounds = $4
        }
        END {
          for (r = 1; r <= rounds; r++) {
            if (!ok[a, r] || !ok[b, r]) { list = list sprintf("%s?", list ? ", " : ""); continue }
            sa += x[a, r]; sb += x[b, r]
            list = list sprintf("%s%.2f", list ? ", " : "", x[a, r] / x[b, r])
          }
          printf " %s (rounds: %s) |", sb ? sprintf("%.2f", sa / sb) : "?", list
        }' "$RUNS"
    done
    printf '\n'
  done
}

targets_table() {
  local gw_sat rate_ok p50g p50h p99g p99h ach cr gr rss_max rss_gw errors total_req
  gw_sat=$(awk -F'\t' '$1 == "fixed" && $2 == "gateway" { s[$3] += $8; n[$3]++ }
    END { for (c in s) if (s[c] / n[c] > m) m = s[c] / n[c]; printf "%.0f", m }' "$RUNS")
  echo "| gateway saturation ≥ 80% of haproxy's (best mean over the rounds of any connection count, same replicas) | gateway $gw_sat req/s, haproxy $HAPROXY_SATURATION req/s: $(awk -v g="$gw_sat" -v h="$HAPROXY_SATURATION" 'BEGIN { printf "%.0f", 100 * g / h }')% | $(met "$gw_sat >= 0.8 * $HAPROXY_SATURATION") |"
  p50g=$(mean_of rate gateway "$RATE_CONNECTIONS" 9)
  p50h=$(mean_of rate haproxy "$RATE_CONNECTIONS" 9)
  p99g=$(mean_of rate gateway "$RATE_CONNECTIONS" 11)
  p99h=$(mean_of rate haproxy "$RATE_CONNECTIONS" 11)
  ach=$(mean_of rate gateway "$RATE_CONNECTIONS" 8)
  echo "| at $RATE req/s (half of haproxy's saturation), gateway p50 within +1 ms of haproxy's | gateway $p50g ms, haproxy $p50h ms (means of the rounds; gateway served $(printf '%.0f' "$ach") req/s) | $(met "$p50g <= $p50h + 1") |"
  echo "| at $RATE req/s, gateway p99 within 1.5× haproxy's | gateway $p99g ms, haproxy $p99h ms: $(awk -v g="$p99g" -v h="$p99h" 'BEGIN { printf "%.2f", g / h }')× | $(met "$p99g <= 1.5 * $p99h") |"
  if [[ -s $STARTUP ]]; then
    cr=$(median_value counter yes 3)
    gr=$(median_value gateway yes 3)
    echo "| counter ready < 1.5 s with the AOT cache (container start → readiness 200, median) | $cr s | $(met "$cr < 1.5") |"
    echo "| gateway ready < 2 s with the AOT cache (container start → readiness 200, median) | $gr s | $(met "$gr < 2") |"
  else
    echo "| counter ready < 1.5 s, gateway < 2 s with the AOT cache | not measured (--skip-startup) | – |"
  fi
  rss_max=$(awk -F'\t' '$1 ~ /^(counter_[0-9]|direct)$/ && $3 > m { m = $3 } END { printf "%.0f", m }' "$WORK/memory.tsv")
  rss_gw=$(awk -F'\t' '$1 == "gateway" { printf "%.0f", $3 }' "$WORK/memory.tsv")
  echo "| RSS < 200 MiB per counter replica after load | largest $rss_max MiB | $(met "$rss_max < 200") |"
  echo "| RSS < 256 MiB for the gateway after load | $rss_gw MiB | $(met "$rss_gw < 256") |"
  errors=$(awk -F'\t' 'NR > 1 { s += $14 } END { print s + 0 }' "$RUNS")
  echo "| zero errors in every run (warm-up, fixed connections, fixed rate) | $errors errors in $(($(wc -l <"$RUNS") - 1)) runs | $(met "$errors == 0") |"
  total_req=$(awk -F'\t' 'NR > 1 { s += $6 } END { print s + 0 }' "$RUNS")
  local went_up=yes
  grep -q '^visits did not go up' "$NOTES" && went_up=no
  echo "| the counter only goes up (GET /api/visits after every run) | $FIRST_VISITS before the load, $FINAL_VISITS after: +$((FINAL_VISITS - FIRST_VISITS)) for $total_req requests answered to wrk; up after every run: $went_up | $(met "\"$went_up\" == \"yes\" && $FINAL_VISITS > $FIRST_VISITS && $FINAL_VISITS - $FIRST_VISITS >= $total_req") |"
}

report() {
  local finished elapsed
  finished=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
  elapsed=$(($(date +%s) - START_EPOCH))
  cat <<EOF
# Benchmark: gateway vs haproxy vs nginx → haproxy vs one replica, $CORES cores

Written by \`benchmarks/run\` ($(awk -F'\t' '$1 == "started" { print $2 }' "$WORK/env.tsv"), $((elapsed / 60)) min $((elapsed % 60)) s).
Three counter replicas on one Redis behind each front; \`wrk\` on the same machine, $THREADS threads, against
127.0.0.1 only. How to read this: [benchmarks/README.md](../README.md).

Settings: ${DURATION} s per run, $ROUNDS round(s) alternating the targets (direct, gateway, haproxy, nginx, then again),
connections: $CONNECTIONS; warm-up ${WARMUP} s for the gateway and $(((WARMUP + 3) / 4)) s for each other target,
its first quarter at 4 connections and the rest at $WARM_CONNS; fixed rate $RATE req/s (half of haproxy's saturation, $HAPROXY_SATURATION req/s) over
$RATE_CONNECTIONS connections. Gateway access log: $ACCESS_LOG.
EOF
  if [[ -n $COUNTER_MEMORY$GATEWAY_MEMORY ]]; then
    echo
    echo "**Memory limits changed from compose.yaml for this run:** ${COUNTER_MEMORY:+counter replicas $COUNTER_MEMORY }${GATEWAY_MEMORY:+gateway $GATEWAY_MEMORY}."
  fi
  if grep -q 'STAND-IN' "$WORK/env.tsv"; then
    echo
    echo "**Stand-ins measured:** $(grep 'STAND-IN' "$WORK/env.tsv" | cut -f2 | sed -E 's/ \(STAND-IN: ([^ ]+) could not be pulled.*/ for \1/' | paste -sd, - | sed 's/,/, /g') (Debian bookworm's haproxy 2.6 and nginx 1.22: the official images could not be pulled here)."
  fi
  cat <<EOF

## Targets

| target | measured | |
|---|---|---|
$(targets_table)

## Throughput at fixed connections

req/s and latency as wrk measures them; errors = socket errors (connect, read, write, timeout) + HTTP status ≥ 400
(wrk's count); ⚠ = a container exited or restarted during the run (see Notes). CPU in seconds per 10k requests: *front* = gateway, haproxy, or nginx + haproxy; *counters* = the three
replicas (direct: the lone replica); *all* = every container of the stack; *client* = wrk + docker-proxy (the
engine's userland proxy behind each published port). *busy* = the whole machine, % of $CORES cores; *outside* = CPU
seconds used by everything else on the machine during the run (other projects, the engine, the kernel).

| target | conns | round | req/s | p50 ms | p99 ms | max ms | errors | front | counters | redis | all | client | busy | outside s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(runs_table fixed)

Mean of the rounds (CPU: rounds without restarts only):

| target | conns | req/s | rounds' range | p50 ms | p99 ms | CPU s/10k req, all containers |
|---|---|---|---|---|---|---|
$(summary_table)

Ratios (mean of the rounds; each round's ratio compares runs seconds apart):

| ratio | $(for c in $CONNECTIONS; do printf '%s connections | ' "$c"; done)
|---|$(for c in $CONNECTIONS; do printf -- '---|'; done)
$(ratio_rows)

## Fixed rate: $RATE req/s, $RATE_CONNECTIONS connections

| target | conns | round | offered | req/s | p50 ms | p99 ms | max ms | errors | front | counters | redis | all | client | busy | outside s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(runs_table rate)

## CPU seconds per 10k requests, every container

Containers not in a target's path still show their health checks and idle work; "?" = the container restarted
during the run (its counter started again from zero).

| phase | target | conns | round | gateway | haproxy | nginx | counter 1 | counter 2 | counter 3 | counter-direct | redis | docker-proxy | dockerd | wrk |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(cpu_table)

## Memory after the load

*usage* as \`docker stats\` shows it (cgroup memory less inactive file cache); *RSS* = resident memory of the
container's processes. MiB.

| container | usage | RSS | limit | since the stack came up |
|---|---|---|---|---|
$(awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$WORK/memory.tsv")

## Start-up ($CORES cores)

EOF
  if [[ -s $STARTUP ]]; then
    cat <<EOF
One container at a time, next to the idle benchmark stack, with the compose memory limits: *ready* = from the
container's start (docker's StartedAt) to the first 200 from \`/actuator/health/readiness\` (polled every 50 ms);
*JVM* = Spring Boot's "process running for"; *CPU* = CPU seconds the container used until ready. Without the AOT
cache: the same image, its entrypoint without \`-XX:AOTCache=app.aot\`. Seconds, median (min–max). The machine was $(awk -v w="$STARTUP_WALL" -v c="$CORES" '{ s += $1 } END { printf "%.0f", 100 * s / 1e6 / w / c }' "$WORK/startup-busy")% busy
(of $CORES cores) during these starts, other projects' work included.

| | with the AOT cache | without |
|---|---|---|
| counter replica, ready | $(median_startup counter yes 3) | $(median_startup counter no 3) |
| counter replica, JVM | $(median_startup counter yes 4) | $(median_startup counter no 4) |
| gateway, ready | $(median_startup gateway yes 3) | $(median_startup gateway no 3) |
| gateway, JVM | $(median_startup gateway yes 4) | $(median_startup gateway no 4) |
| counter replica, CPU | $(median_startup counter yes 5) | $(median_startup counter no 5) |
| gateway, CPU | $(median_startup gateway yes 5) | $(median_startup gateway no 5) |
EOF
  fi
  cat <<EOF

\`docker compose up -d\` on built images (compose.yaml as shipped: Redis, 3 replicas, the gateway) until every
container reports healthy: **$UP_SECONDS s** on $CORES cores (health checks run every 2 s, so this is up to 2 s late; the three
replicas start together on $CORES cores). JVM "process running for" in that start-up:
$(awk -F'\t' '{ a[$1] = a[$1] (a[$1] ? ", " : "") $2 } END { for (k in a) printf "%s: %s s; ", k, a[k] }' "$WORK/compose-up.tsv" | sed 's/; $/./')

## Warm-up runs

| target | conns | round | req/s | p50 ms | p99 ms | max ms | errors | front | counters | redis | all | client | busy | outside s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(runs_table warmup)

## Environment

| | |
|---|---|
$(awk -F'\t' '{ printf "| %s | %s |\n", $1, $2 }' "$WORK/env.tsv")
| finished | $finished |
EOF
  if [[ -s $NOTES ]]; then
    echo
    echo "## Notes"
    echo
    sed 's/^/- /' "$NOTES"
  fi
}
