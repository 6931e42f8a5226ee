# Renders the Markdown report of benchmarks/run from the files it wrote in $WORK. Sourced by benchmarks/run.

# The connection count of the headline table and of the targets: the curves' (64 by default) when the fixed runs
# had it, else the largest
MAIN_CONNS=$CURVE_CONNS
[[ " $CONNECTIONS " == *" $CURVE_CONNS "* ]] || MAIN_CONNS=$(tr ' ' '\n' <<<"$CONNECTIONS" | sort -n | tail -1)

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

met() { # awk condition on numbers → "met" / "**not met**"
  awk "BEGIN { if ($1) print \"met\"; else print \"**not met**\" }"
}

# Per target: the containers a request goes through. CPU per request in ms. A container that restarted during a
# run started its CPU counter again from zero: its figures, and the sums that include them, are "?" (the events
# column names the containers, e.g. "counter_2: restarted 1x").
AWK_F='
function v(k) { return (k in col) ? $col[k] : 0 }
function bad(k) { return index(";" $col["events"], ";" k ":") > 0 }
function f(x, broken) { return (broken || x < 0) ? "?" : sprintf("%.3f", x) }
function pct(x, of) { return (of > 0) ? sprintf("%.1f", 100 * x / of) : "–" }
function keys_front(t) { return (t == "haproxy") ? "haproxy" : (t == "nginx") ? "nginx haproxy" : (t == "gateway") ? "gateway" : (t == "traced") ? "gateway_traced" : (t == "variant") ? "gateway_variant" : (t == "original") ? "original_nginx original_haproxy" : "" }
function keys_replicas(t) { return (t == "direct") ? "direct" : (t == "original") ? "original_1 original_2 original_3" : "counter_1 counter_2 counter_3" }
function keys_redis(t) { return (t == "original") ? "original_redis" : "redis" }
# The traced gateway and its Zipkin count in the stack of the target traced only, the variant gateway in the
# variant'"'"'s: the other stacks are as in runs without them
function keys_stack(t) { return (t == "original") ? "original_nginx original_haproxy original_1 original_2 original_3 original_redis" : "gateway haproxy nginx counter_1 counter_2 counter_3 direct redis" ((t == "traced") ? " gateway_traced zipkin_bench" : (t == "variant") ? " gateway_variant" : "") }
function sum(keys,   k, n, i, s) { n = split(keys, k, " "); for (i = 1; i <= n; i++) s += v(k[i]); return s }
function sum_jit(keys,   k, n, i, s) { n = split(keys, k, " "); for (i = 1; i <= n; i++) s += v("jit_" k[i]); return s }
function any_bad(keys,   k, n, i) { n = split(keys, k, " "); for (i = 1; i <= n; i++) if (bad(k[i])) return 1; return 0 }
function every(   k, s) { for (k in col) if (k ~ /^(gateway|gateway_traced|gateway_variant|zipkin_bench|haproxy|nginx|counter_[0-9]|direct|redis|original_.*)$/) s += $col[k]; return s }
# JIT compiler threads, % of the JVMs CPU: the front (the gateway only) and the replicas (the counters only)
function jit_front(t) { return (t == "gateway") ? pct(v("jit_gateway"), v("gateway")) : (t == "traced") ? pct(v("jit_gateway_traced"), v("gateway_traced")) : (t == "variant") ? pct(v("jit_gateway_variant"), v("gateway_variant")) : "–" }
function jit_replicas(t) { return (t == "original") ? "–" : pct(sum_jit(keys_replicas(t)), sum(keys_replicas(t))) }
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
'

# Medians over the rounds, per phase, target and connection count, a TSV in $WORK/summary.tsv: req/s (and its
# range), p50, p99, CPU ms per request (front, replicas, Redis, docker-proxy, the target's whole stack; rounds
# without restarts only), JIT % of the front and of the replicas, errors (sum), rounds
summarise() {
  awk -F'\t' "$AWK_F"'
    $col["phase"] == "fixed" || $col["phase"] == "rate" {
      g = $col["phase"] SUBSEP $col["target"] SUBSEP $col["conns"]
      t = $col["target"]
      groups[g] = 1
      n[g]++
      add(g, "rps", $col["rps"]); add(g, "p50", $col["p50"]); add(g, "p99", $col["p99"])
      if ($col["events"] == "" && $col["requests"] > 0) {
        ms = 1e3 / $col["requests"]
        add(g, "front", (t == "direct") ? "–" : sum(keys_front(t)) * ms)
        add(g, "replicas", sum(keys_replicas(t)) * ms)
        add(g, "redis", sum(keys_redis(t)) * ms)
        add(g, "proxy", v("proxy") * ms)
        add(g, "all", sum(keys_stack(t)) * ms)
        add(g, "zipkin", v("zipkin_bench") * ms)
        add(g, "jit_front", jit_front(t))
        add(g, "jit_replicas", jit_replicas(t))
      }
      err[g] += $col["errors"]
      offered[g] = $col["offered"]
    }
    function add(g, k, x) { val[g, k] = val[g, k] " " x }
    function median(s,   x, m, i, j, t) {
      m = split(s, x, " ")
      if (!m) return "?"
      if (x[1] == "–") return "–"
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }
      return (m % 2) ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
    }
    function lo_hi(s,   x, m, i, lo, hi) {
      m = split(s, x, " ")
      for (i = 1; i <= m; i++) { if (i == 1 || x[i] + 0 < lo) lo = x[i] + 0; if (x[i] + 0 > hi) hi = x[i] + 0 }
      return sprintf("%.0f–%.0f", lo, hi)
    }
    function num(x, fmt) { return (x == "?" || x == "–") ? x : sprintf(fmt, x) }
    END {
      for (g in groups) {
        split(g, p, SUBSEP)
        printf "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", p[1], p[2], p[3], n[g],
          num(median(val[g, "rps"]), "%.0f"), lo_hi(val[g, "rps"]), num(median(val[g, "p50"]), "%.2f"),
          num(median(val[g, "p99"]), "%.2f"), num(median(val[g, "front"]), "%.3f"), num(median(val[g, "replicas"]), "%.3f"),
          num(median(val[g, "redis"]), "%.3f"), num(median(val[g, "proxy"]), "%.3f"), num(median(val[g, "all"]), "%.3f"),
          num(median(val[g, "jit_front"]), "%.1f"), num(median(val[g, "jit_replicas"]), "%.1f"), err[g], offered[g],
          num(median(val[g, "zipkin"]), "%.3f")
      }
    }' "$RUNS" >"$WORK/summary.tsv"
}

SUMMARY_FIELDS=(phase target conns rounds rps range p50 p99 front replicas redis proxy all jit_front jit_replicas errors offered zipkin)
sm() { # phase target conns field: one value of the summary, empty if not measured
  local i
  for i in "${!SUMMARY_FIELDS[@]}"; do [[ ${SUMMARY_FIELDS[$i]} == "$4" ]] && break; done
  awk -F'\t' -v ph="$1" -v t="$2" -v c="$3" -v i="$((i + 1))" '$1 == ph && $2 == t && $3 == c { print $i }' "$WORK/summary.tsv"
}

target_name() {
  case $1 in
    gateway) echo "gateway → 3 counters" ;;
    traced) echo "gateway tracing 100% → the same 3 counters (→ Zipkin)" ;;
    variant) echo "gateway variant (${VARIANT_NAME:-see Environment}) → the same 3 counters" ;;
    haproxy) echo "haproxy → the same 3 counters" ;;
    nginx) echo "nginx → haproxy → the same 3 counters" ;;
    original) echo "original: nginx → haproxy → 3 Flask" ;;
    direct) echo "one counter replica alone" ;;
  esac
}

headline_table() { # phase conns
  local target
  for target in gateway variant traced haproxy original nginx direct; do
    has_target "$target" || continue
    [[ -n $(sm "$1" "$target" "$2" rps) ]] || continue
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s |\n' "$(target_name "$target")" \
      "$(sm "$1" "$target" "$2" rps)" "$(sm "$1" "$target" "$2" p50)" "$(sm "$1" "$target" "$2" p99)" \
      "$(sm "$1" "$target" "$2" front)" "$(sm "$1" "$target" "$2" replicas)" "$(sm "$1" "$target" "$2" redis)" \
      "$(sm "$1" "$target" "$2" proxy)" "$(sm "$1" "$target" "$2" all)" "$(sm "$1" "$target" "$2" jit_front)" \
      "$(sm "$1" "$target" "$2" jit_replicas)" "$(sm "$1" "$target" "$2" errors)"
  done
}

summary_rows() {
  local conns target
  for conns in $CONNECTIONS; do
    for target in "${TARGETS[@]}"; do
      [[ -n $(sm fixed "$target" "$conns" rps) ]] || continue
      printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$conns" "$(sm fixed "$target" "$conns" rps)" \
        "$(sm fixed "$target" "$conns" range)" "$(sm fixed "$target" "$conns" p50)" "$(sm fixed "$target" "$conns" p99)" \
        "$(sm fixed "$target" "$conns" all)"
    done
  done
}

runs_table() { # phase(s), as in "curve|warmup"
  awk -F'\t' -v ph="$1" -v cores="$CORES" "$AWK_F"'
    $col["phase"] ~ ("^(" ph ")$") {
      t = $col["target"]
      ms = ($col["requests"] > 0) ? 1e3 / $col["requests"] : 0
      broken = ($col["events"] != "")
      outside = $col["busy"] - every() - v("proxy") - v("dockerd") - v("wrk")
      offered = (ph == "rate") ? sprintf(" %s |", $col["offered"]) : ""
      printf "| %s | %s | %s |%s %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f%% | %s |\n",
        t (($col["phase"] == "prime") ? " (before its restart)" : ""), $col["conns"], ($col["since"] == "-") ? $col["round"] : sprintf("%d–%d", $col["since"], $col["since"] + $col["seconds"] + 0.5), offered, $col["rps"], $col["p50"], $col["p99"], $col["max"], $col["errors"] (broken ? " ⚠" : ""),
        (t == "direct") ? "–" : f(sum(keys_front(t)) * ms, any_bad(keys_front(t))),
        f(sum(keys_replicas(t)) * ms, any_bad(keys_replicas(t))), f(sum(keys_redis(t)) * ms, any_bad(keys_redis(t))),
        f(v("proxy") * ms, bad(t)), f(sum(keys_stack(t)) * ms, broken), jit_front(t), jit_replicas(t),
        100 * $col["busy"] / ($col["wall"] * cores), broken ? "?" : sprintf("%.1f", outside)
    }' "$RUNS"
}

cpu_table_header() {
  local key
  printf '| phase | target | conns | round |'
  for key in "${KEYS[@]}"; do printf ' %s |' "${key//_/ }"; done
  printf ' docker-proxy | dockerd | wrk |\n|---|---|---|---|'
  for key in "${KEYS[@]}"; do printf -- '---|'; done
  printf -- '---|---|---|\n'
}

cpu_table() {
  awk -F'\t' -v keys="${KEYS[*]}" "$AWK_F"'
    $col["phase"] == "fixed" || $col["phase"] == "rate" {
      ms = ($col["requests"] > 0) ? 1e3 / $col["requests"] : 0
      printf "| %s | %s | %s | %s |", $col["phase"], $col["target"], $col["conns"], $col["round"]
      n = split(keys, k, " ")
      for (i = 1; i <= n; i++) printf " %s |", f(v(k[i]) * ms, bad(k[i]))
      printf " %s | %s | %s |\n", f(v("proxy") * ms, bad($col["target"])), f(v("dockerd") * ms), f(v("wrk") * ms)
    }' "$RUNS"
}

# The median of the rounds' own ratios a/b at conns, and the list: "0.93 (rounds: 0.91, 0.93, 0.95)". what: rps,
# or CPU per request of the front or the replicas
round_ratio() { # a b conns what
  awk -F'\t' -v a="$1" -v b="$2" -v c="$3" -v what="$4" "$AWK_F"'
    $col["phase"] == "fixed" && $col["conns"] == c && ($col["target"] == a || $col["target"] == b) {
      t = $col["target"]; r = $col["round"]
      if (what == "rps") { x[t, r] = $col["rps"]; ok[t, r] = 1 }
      else {
        keys = (what == "front") ? keys_front(t) : keys_replicas(t)
        x[t, r] = ($col["requests"] > 0) ? sum(keys) / $col["requests"] : 0
        ok[t, r] = !any_bad(keys)
      }
      if (r > rounds) rounds = r
    }
    END {
      for (r = 1; r <= rounds; r++) {
        if (!ok[a, r] || !ok[b, r] || !x[b, r]) { list = list sprintf("%s?", list ? ", " : ""); continue }
        q[++m] = x[a, r] / x[b, r]
        list = list sprintf("%s%.2f", list ? ", " : "", q[m])
      }
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (q[j] < q[i]) { t = q[i]; q[i] = q[j]; q[j] = t }
      printf "%s (rounds: %s)", m ? sprintf("%.2f", (m % 2) ? q[(m + 1) / 2] : (q[m / 2] + q[m / 2 + 1]) / 2) : "?", list
    }' "$RUNS"
}

ratio_rows() {
  local conns what
  for what in "gateway haproxy rps" "gateway original rps" "gateway nginx rps" "gateway direct rps" "gateway haproxy front" "gateway haproxy replicas" \
    "variant gateway rps" "variant gateway front" "variant gateway replicas" \
    "traced gateway rps" "traced gateway front" "traced gateway replicas"; do
    set -- $what
    has_target "$1" && has_target "$2" || continue
    case $3 in
      rps) printf '| %s / %s, req/s |' "$1" "$2" ;;
      front) printf '| %s / %s, CPU of the front per request |' "$1" "$2" ;;
      replicas) printf '| %s / %s, CPU of the replicas per request |' "$1" "$2" ;;
    esac
    for conns in $CONNECTIONS; do
      printf ' %s |' "$(round_ratio "$1" "$2" "$conns" "$3")"
    done
    printf '\n'
  done
}

# The traced gateway against the gateway at MAIN_CONNS: req/s, latency and CPU per request of the front, the
# replicas and Zipkin, medians of the rounds, and the rounds' own ratios
tracing_section() {
  local c=$MAIN_CONNS g t ratio what label gv tv r cost
  g=$(sm fixed gateway "$c" rps)
  t=$(sm fixed traced "$c" rps)
  [[ -n $g && -n $t ]] || { echo "Not measured at $c connections."; return; }
  ratio=$(round_ratio traced gateway "$c" rps)
  cat <<EOF
The gateway as \`gateway\` measures it, and the same gateway (\`gateway-traced\`, same image and settings) sampling
every request (\`management.tracing.sampling.probability: 1.0\`) into a Zipkin of its own (\`zipkin-bench\`,
in-memory storage), over the same three replicas, which continue its traces and send their spans there too. The
gateway has no Zipkin to resolve, so it samples nothing, and the replicas follow its decision and record nothing.
Medians of $(sm fixed traced "$c" rounds) round(s); *traced / gateway* = the median of the rounds' own ratios for req/s and the front's
and the replicas' CPU, the ratio of the medians otherwise. CPU in ms per request completed.

| $c connections | gateway (tracing off) | traced (100% to Zipkin) | traced / gateway |
|---|---|---|---|
EOF
  for what in "rps req/s" "p50 p50_ms" "p99 p99_ms" "front CPU:_the_gateway" "replicas CPU:_the_3_counters" \
    "zipkin CPU:_Zipkin" "sum CPU:_gateway_+_counters_+_Zipkin" "all CPU:_the_target's_stack" "errors errors"; do
    set -- $what
    label=${2//_/ }
    if [[ $1 == sum ]]; then
      gv=$(awk -v a="$(sm fixed gateway "$c" front)" -v b="$(sm fixed gateway "$c" replicas)" -v z="$(sm fixed gateway "$c" zipkin)" 'BEGIN { if (a b z ~ /[?–]/) print "?"; else printf "%.3f", a + b + z }')
      tv=$(awk -v a="$(sm fixed traced "$c" front)" -v b="$(sm fixed traced "$c" replicas)" -v z="$(sm fixed traced "$c" zipkin)" 'BEGIN { if (a b z ~ /[?–]/) print "?"; else printf "%.3f", a + b + z }')
    else
      gv=$(sm fixed gateway "$c" "$1")
      tv=$(sm fixed traced "$c" "$1")
    fi
    case $1 in
      rps) r=$ratio ;;
      front | replicas) r=$(round_ratio traced gateway "$c" "$1") ;;
      errors) r="–" ;;
      *) r=$(awk -v a="$tv" -v b="$gv" 'BEGIN { if (a ~ /[?–]/ || b ~ /[?–]/ || b + 0 == 0) print "–"; else printf "%.2f", a / b }') ;;
    esac
    [[ $1 != zipkin ]] || gv="$gv (idle)"
    printf '| %s | %s | %s | %s |\n' "$label" "$gv" "$tv" "$r"
  done
  cost=$(awk -v r="${ratio%% *}" 'BEGIN { if (r == "?") print "?"; else printf "%.0f", 100 * (1 - r) }')
  echo
  if [[ $cost == "?" ]]; then
    echo "No round with both runs: the cost of tracing cannot be told from this run."
  elif awk -v x="$cost" 'BEGIN { exit !(x > 10) }'; then
    echo "**Tracing every request costs more than 10% of the gateway's throughput here:** $cost% fewer req/s (traced / gateway ${ratio%% *})."
  else
    echo "Tracing every request costs no more than 10% of the gateway's throughput here: $(awk -v x="$cost" 'BEGIN { if (x < 0) printf "%d%% more req/s, within the noise between runs", -x; else printf "%d%% fewer req/s", x }') (traced / gateway ${ratio%% *})."
  fi
}

# The variant gateway against the gateway at MAIN_CONNS, an A/B in the same run: req/s, latency, CPU per request,
# the rounds' own ratios, the warm-up curves, and a verdict from the rounds: "helps" only if every round's gateway
# CPU per request is lower and the median req/s not lower (or every round's req/s higher and the CPU not higher)
variant_section() {
  local c=$MAIN_CONNS what label gv tv r rps_list front_list verdict first_g steady_g failed_g first_v steady_v failed_v
  [[ -n $(sm fixed gateway "$c" rps) && -n $(sm fixed variant "$c" rps) ]] || { echo "Not measured at $c connections."; return; }
  cat <<EOF2
The gateway as \`gateway\` measures it, and \`gateway-variant\`: $(awk -F'\t' '$1 == "variant" { print $2 }' "$WORK/env.tsv").
Same replicas, alternating in every round. Medians of $(sm fixed variant "$c" rounds) round(s); *variant / gateway* = the median of the
rounds' own ratios (the rounds in brackets) for req/s and CPU, the ratio of the medians otherwise.

| $c connections | gateway | variant | variant / gateway |
|---|---|---|---|
EOF2
  for what in "rps req/s" "p50 p50_ms" "p99 p99_ms" "front CPU_ms/request:_the_gateway" "replicas CPU_ms/request:_the_3_counters" \
    "all CPU_ms/request:_the_target's_stack" "jit_front JIT_%_of_the_gateway" "errors errors"; do
    set -- $what
    label=${2//_/ }
    gv=$(sm fixed gateway "$c" "$1")
    tv=$(sm fixed variant "$c" "$1")
    case $1 in
      rps | front | replicas) r=$(round_ratio variant gateway "$c" "$1") ;;
      errors | jit_front) r="–" ;;
      *) r=$(awk -v a="$tv" -v b="$gv" 'BEGIN { if (a ~ /[?–]/ || b ~ /[?–]/ || b + 0 == 0) print "–"; else printf "%.2f", a / b }') ;;
    esac
    printf '| %s | %s | %s | %s |\n' "$label" "$gv" "$tv" "$r"
  done
  rps_list=$(round_ratio variant gateway "$c" rps)
  front_list=$(round_ratio variant gateway "$c" front)
  verdict=$(awk -v r="$rps_list" -v f="$front_list" 'BEGIN {
      rm = r; sub(/ .*/, "", rm); fm = f; sub(/ .*/, "", fm)
      sub(/.*rounds: /, "", r); sub(/\)$/, "", r); sub(/.*rounds: /, "", f); sub(/\)$/, "", f)
      n = split(r, rr, ", "); m = split(f, ff, ", ")
      if (rm == "?" || fm == "?" || r ~ /\?/ || f ~ /\?/) { print "cannot be told (a round without both runs)"; exit }
      cpu_lower = 1; cpu_higher = 1; rps_higher = 1; rps_lower = 1
      for (i = 1; i <= m; i++) { if (ff[i] >= 1) cpu_lower = 0; if (ff[i] <= 1) cpu_higher = 0 }
      for (i = 1; i <= n; i++) { if (rr[i] <= 1) rps_higher = 0; if (rr[i] >= 1) rps_lower = 0 }
      if ((cpu_lower && rm >= 1) || (rps_higher && fm <= 1)) print "helps"
      else if (cpu_higher || rps_lower) print "hurts"
      else print "makes no difference beyond the spread of the rounds"
    }')
  echo
  echo "**Verdict: the variant $verdict** (req/s ${rps_list}; the gateway's CPU per request ${front_list})."
  if [[ -n $(curve_verdict variant) && -n $(curve_verdict gateway) ]]; then
    read -r first_g steady_g failed_g <<<"$(curve_verdict gateway)"
    read -r first_v steady_v failed_v <<<"$(curve_verdict variant)"
    cat <<EOF2

Warm-up from a fresh start, $CURVE_CONNS connections at once, in front of the same warm replicas (the gateway's curve
first, then the variant's): first 30 s, gateway $first_g req/s ($failed_g failed in its ${CURVE} s curve), variant $first_v req/s
($failed_v failed); steady state: gateway $(steady_after gateway), variant $(steady_after variant).

| s of load | gateway req/s | errors | p99 ms | CPU ms | JIT % | variant req/s | errors | p99 ms | CPU ms | JIT % |
|---|---|---|---|---|---|---|---|---|---|---|
$(curve_table variant)
EOF2
  fi
}

# Two warm-up curves side by side (gateway and direct, or gateway and variant): per slice of SLICE s from the
# first answer, req/s, errors, p99, the CPU per request of the fresh JVM and the share of it its JIT compiler
# threads took
curve_table() { # [second target, default direct]
  awk -F'\t' -v second="${1:-direct}" "$AWK_F"'
    ($col["phase"] == "curve" || $col["phase"] == "warmup") && ($col["target"] == "gateway" || $col["target"] == second) {
      t = ($col["target"] == "gateway") ? "gateway" : "direct"; s = $col["since"] + 0
      fresh = (t == "gateway") ? "gateway" : (second == "variant") ? "gateway_variant" : "direct"
      ms = ($col["requests"] > 0) ? 1e3 / $col["requests"] : 0
      cell[t, s] = sprintf("%s | %s | %s | %s | %s", $col["rps"], $col["errors"], $col["p99"], f(v(fresh) * ms, bad(fresh)),
        pct(v("jit_" fresh), v(fresh)))
      if ($col["phase"] == "warmup") past[s] = 1
      if (s > last) last = s
    }
    END {
      for (s = 0; s <= last; s += 10) {
        g = ((("gateway", s) in cell)) ? cell["gateway", s] : "– | – | – | – | –"
        d = ((("direct", s) in cell)) ? cell["direct", s] : "– | – | – | – | –"
        printf "| %d–%d%s | %s | %s |\n", s, s + 10, (s in past) ? ", past the curve" : "", g, d
      }
    }' "$RUNS"
}

# A fresh JVM's first 30 s against its steady throughput: "first30 steady errors-in-the-curve"
curve_verdict() { # target
  local steady
  steady=$(sm fixed "$1" "$CURVE_CONNS" rps)
  [[ -n $steady ]] || steady=$(awk -F'\t' -v t="$1" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["target"] == t && ($col["phase"] == "curve" || $col["phase"] == "warmup") { a = b; b = $col["rps"] } END { printf "%.0f", (a + b) / 2 }' "$RUNS")
  awk -F'\t' -v t="$1" -v steady="$steady" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["target"] == t && $col["phase"] == "curve" {
      if ($col["since"] + 0 < 30) { req += $col["requests"]; secs += $col["seconds"] }
      err += $col["errors"]; n++
    }
    END { if (n) printf "%.0f %s %d\n", secs ? req / secs : 0, steady, err }' "$RUNS"
}

steady_after() { # target: "after N s of load", or "not reached within N s of load"
  awk -F'\t' -v t="$1" '$1 == t { print ($5 == "-") ? "not reached within " $6 " s of load" : "after " $5 " s of load"; exit }' "$STEADY"
}

targets_table() {
  local c=$MAIN_CONNS g h o x y rss_max rss_gw errors errors_original total_req went_up words first steady failed
  g=$(sm fixed gateway "$c" rps)
  h=$(sm fixed haproxy "$c" rps)
  o=$(sm fixed original "$c" rps)
  if [[ -n $g && -n $o ]]; then
    echo "| gateway throughput ≥ 3× the original stack's ($c connections, medians of the rounds) | gateway $g req/s, original $o req/s: $(calc "$g / $o")× | $(met "$g >= 3 * $o") |"
  else
    echo "| gateway throughput ≥ 3× the original stack's | not measured (--targets) | – |"
  fi
  x=$(sm fixed gateway "$c" front)
  if [[ -n $x && $x != "?" ]]; then
    echo "| gateway CPU per proxied request ≤ 0.17 ms at steady state, $c connections (median of the rounds) | $x ms; its JIT compilers $(sm fixed gateway "$c" jit_front)% of its CPU in those runs; steady state $(steady_after gateway) | $(met "$x <= 0.17") |"
  else
    echo "| gateway CPU per proxied request ≤ 0.17 ms | ${x:-not measured} | – |"
  fi
  x=$(sm fixed gateway "$c" replicas)
  y=$(sm fixed haproxy "$c" replicas)
  if [[ -n $x && -n $y && $x != "?" && $y != "?" ]]; then
    echo "| the replicas' CPU per request behind the gateway within 15% of behind haproxy (at most 1.15×) | $x ms against $y ms: $(calc "$x / $y")× | $(met "$x <= 1.15 * $y") |"
  else
    echo "| the replicas' CPU per request behind the gateway within 15% of behind haproxy | not measured | – |"
  fi
  # At 64 connections each front lets a different rate through to the replicas, and a replica's CPU per request
  # falls as its rate rises (fixed costs per wake-up shared by more requests): the same rate compares the replicas
  x=$(sm rate gateway "$RATE_CONNECTIONS" replicas)
  y=$(sm rate haproxy "$RATE_CONNECTIONS" replicas)
  if [[ -n $x && -n $y && $x != "?" && $y != "?" ]]; then
    echo "| the same at the same rate: the replicas' CPU per request behind the gateway and behind haproxy, both at $RATE req/s (the fixed-rate runs) | $x ms against $y ms: $(calc "$x / $y")×; Redis $(sm rate gateway "$RATE_CONNECTIONS" redis) ms against $(sm rate haproxy "$RATE_CONNECTIONS" redis) ms | $(met "$x <= 1.15 * $y") |"
  fi
  if [[ -n $g && -n $h ]]; then
    echo "| gateway throughput ≥ 0.6× haproxy's over the same replicas ($c connections) | gateway $g req/s, haproxy $h req/s: $(calc "$g / $h")× | $(met "$g >= 0.6 * $h") |"
    echo "| *goal beyond the target:* gateway throughput ≥ 0.8× haproxy's | $(calc "$g / $h")× | $(met "$g >= 0.8 * $h") |"
  else
    echo "| gateway throughput ≥ 0.6× haproxy's | not measured | – |"
  fi
  x=$(sm rate gateway "$RATE_CONNECTIONS" p99)
  y=$(sm rate haproxy "$RATE_CONNECTIONS" p99)
  if [[ -n $x && -n $y ]]; then
    echo "| at $RATE req/s (half of the gateway's saturation, $GATEWAY_SATURATION req/s), gateway p99 ≤ 2× haproxy's | gateway $x ms, haproxy $y ms: $(calc "$x / $y")× (medians; served $(sm rate gateway "$RATE_CONNECTIONS" rps) and $(sm rate haproxy "$RATE_CONNECTIONS" rps) req/s) | $(met "$x <= 2 * $y") |"
  else
    echo "| at half of the gateway's saturation, gateway p99 ≤ 2× haproxy's | not measured | – |"
  fi
  for x in gateway direct; do
    words=$([[ $x == gateway ]] && echo "the gateway (in front of warm replicas)" || echo "a counter replica (alone)")
    if [[ -n $(curve_verdict "$x") ]]; then
      read -r first steady failed <<<"$(curve_verdict "$x")"
      echo "| warm-up: $words started fresh and loaded at once at $CURVE_CONNS connections serves ≥ 90% of its steady throughput in its first 30 s, no failed request in its ${CURVE} s curve | first 30 s: $first req/s = $(awk -v a="$first" -v b="$steady" 'BEGIN { printf "%.0f", b ? 100 * a / b : 0 }')% of $steady req/s (steady: the median of its fixed runs); $failed failed | $(met "$first >= 0.9 * $steady && $failed == 0") |"
    else
      echo "| warm-up of $words: ≥ 90% of steady in the first 30 s, no failure | not measured | – |"
    fi
  done
  rss_max=$(awk -F'\t' '$1 ~ /^(counter_[0-9]|direct)$/ && $3 > m { m = $3 } END { printf "%.0f", m }' "$WORK/memory.tsv")
  rss_gw=$(awk -F'\t' '$1 == "gateway" { printf "%.0f", $3 }' "$WORK/memory.tsv")
  echo "| RSS after load ≤ 256 MiB per counter replica | largest $rss_max MiB | $(met "$rss_max <= 256") |"
  echo "| RSS after load ≤ 320 MiB for the gateway | $rss_gw MiB | $(met "$rss_gw <= 320") |"
  errors=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $col["target"] != "original" { s += $col["errors"]; n++ } END { printf "%d errors in %d runs", s, n }' "$RUNS")
  errors_original=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $col["target"] == "original" { s += $col["errors"]; n++ } END { if (n) printf "; the original stack, not judged: %d in %d runs", s, n }' "$RUNS")
  echo "| zero errors in every run through the Java stack (curves, warm-ups, fixed connections, fixed rate, profile) | $errors$errors_original | $(met "${errors%% *} == 0") |"
  total_req=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $col["target"] != "original" { s += $col["requests"] } END { print s + 0 }' "$RUNS")
  went_up=yes
  grep -q '^visits did not go up' "$NOTES" && went_up=no
  echo "| the count only goes up (GET /api/visits after every run) | $FIRST_VISITS before the load, $FINAL_VISITS after: +$((FINAL_VISITS - FIRST_VISITS)) for $total_req requests answered to wrk; up after every run: $went_up | $(met "\"$went_up\" == \"yes\" && $FINAL_VISITS > $FIRST_VISITS && $FINAL_VISITS - $FIRST_VISITS >= $total_req") |"
  if has_target original; then
    total_req=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $col["target"] == "original" { s += $col["requests"] } END { print s + 0 }' "$RUNS")
    went_up=yes
    grep -q '^the original stack.s count did not go up' "$NOTES" && went_up=no
    echo "| *informational:* the original stack's count (its Redis, after every run) | $FIRST_ORIGINAL before the load, $FINAL_ORIGINAL after: +$((FINAL_ORIGINAL - FIRST_ORIGINAL)) for $total_req requests answered; up after every run: $went_up | – |"
  fi
}

steady_table() {
  local target fresh min max steady loaded
  while IFS=$'\t' read -r target fresh min max steady loaded; do
    printf '| %s | %s | %s s | %s | %s |\n' "$target" \
      "$([[ $fresh == yes ]] && echo "yes: answered ${FRESH_READY[$target]:-?} s after its start" || echo no)" "$loaded" \
      "$([[ $steady == - ]] && { [[ -z $(jvm_keys_of "$target") ]] && echo "– (no JVM; ${min} s)" || echo "**not within $max s**"; } || echo "$steady s")" \
      "$(awk -F'\t' -v t="$target" "$AWK_F"'$col["target"] == t && ($col["phase"] == "curve" || $col["phase"] == "warmup") { last = $0 }
          function p(x) { return (x == "–") ? x : x "%" }
          END { $0 = last; printf "%s req/s, JIT: front %s, replicas %s", $col["rps"], p(jit_front(t)), p(jit_replicas(t)) }' "$RUNS")"
  done <"$STEADY"
}

report() {
  local finished elapsed key
  finished=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
  elapsed=$(($(date +%s) - START_EPOCH))
  summarise
  cat <<EOF
# Benchmark: gateway vs haproxy vs the original stack, $CORES cores

Written by \`benchmarks/run\` ($(awk -F'\t' '$1 == "started" { print $2 }' "$WORK/env.tsv"), $((elapsed / 60)) min $((elapsed % 60)) s).
Three counter replicas on one Redis behind each front$(has_target original && echo "; the original stack (nginx → haproxy → three Flask
development servers → its own Redis) beside it, sharing nothing but the machine"); \`wrk\` on the same machine,
$THREADS threads, against 127.0.0.1 only. How to read this: [benchmarks/README.md](../README.md).

Settings: targets ${TARGETS[*]}; ${DURATION} s per run, $ROUNDS round(s) alternating the targets in that order, medians
of the rounds; connections: $CONNECTIONS. Warm-up in ${SLICE} s slices at $CURVE_CONNS connections: the lone replica and then the
gateway restarted and loaded at once for ${CURVE} s (the curves), haproxy's replicas at least ${WARMUP} s and then
${WARMUP} s through the gateway before its restart (phase prime: the gateway's path through the replicas), the other
targets at least ${QUARTER} s; each target with JVMs on to steady state (JIT compiler threads under ${STEADY_JIT}% of every JVM's CPU,
two slices in a row, req/s within 10%), at most ${WARMUP_MAX} s. Fixed rate $RATE req/s (half of the gateway's
saturation) over $RATE_CONNECTIONS connections. Gateway access log: $ACCESS_LOG.
EOF
  if [[ -n $COUNTER_MEMORY$GATEWAY_MEMORY ]]; then
    echo
    echo "**Memory limits changed from compose.yaml for this run:** ${COUNTER_MEMORY:+counter replicas $COUNTER_MEMORY }${GATEWAY_MEMORY:+gateway $GATEWAY_MEMORY}."
  fi
  if grep -q 'STAND-IN' "$WORK/env.tsv"; then
    echo
    echo "**Stand-ins measured:** $(grep 'STAND-IN' "$WORK/env.tsv" | cut -f2 | sed -E 's/ \(STAND-IN: ([^ ]+) could not be pulled.*/ for \1/' | paste -sd, - | sed 's/,/, /g') (Debian bookworm's haproxy 2.6 and nginx 1.22: the official images could not be pulled here)."
  fi
  [[ $MAIN_CONNS == "$CURVE_CONNS" ]] ||
    { echo; echo "**No fixed runs at $CURVE_CONNS connections:** the headline and the targets use $MAIN_CONNS."; }
  cat <<EOF

## Targets

| target | measured | |
|---|---|---|
$(targets_table)

## $MAIN_CONNS connections, medians of $ROUNDS rounds

CPU in ms per request completed, from each container's cgroup: *front* = the gateway, haproxy, or nginx + haproxy;
*replicas* = the three counters (or Flask apps; the lone replica for direct); *Redis* = the target's Redis;
*docker-proxy* = the engine's userland proxy behind the published port; *stack* = every container of the target's
stack, idle ones included. *JIT %* = the share of the JVMs' CPU their JIT compiler threads took (front = the
gateway; replicas = the counters).

| target | req/s | p50 ms | p99 ms | CPU ms/request: front | replicas | Redis | docker-proxy | stack | JIT %: front / replicas | errors |
|---|---|---|---|---|---|---|---|---|---|---|
$(headline_table fixed "$MAIN_CONNS")
EOF
  if [[ $RATE -gt 0 ]]; then
    cat <<EOF

At a fixed rate of $RATE req/s (half of the gateway's saturation, $GATEWAY_SATURATION req/s), $RATE_CONNECTIONS connections:

| target | req/s | p50 ms | p99 ms | CPU ms/request: front | replicas | Redis | docker-proxy | stack | JIT %: front / replicas | errors |
|---|---|---|---|---|---|---|---|---|---|---|
$(headline_table rate "$RATE_CONNECTIONS")
EOF
  fi
  if has_target gateway || has_target direct; then
    cat <<EOF

## Warm-up from a fresh start: $CURVE_CONNS connections at once

Each restarted (a fresh JVM) and loaded from its first answer through the published port, in back-to-back
${SLICE} s wrk runs: the lone replica first, then the gateway in front of the three replicas warmed up through haproxy
and then through the gateway before its restart (so that their JIT has compiled the gateway's path through them).
*errors* = failed requests in the slice (a request still open when a slice ends is neither counted nor failed);
*CPU* = ms per request of the fresh container; *JIT %* = its compiler threads' share of its CPU. Slices past
the ${CURVE} s curve ran on until steady state.

| s of load | gateway req/s | errors | p99 ms | CPU ms | JIT % | replica req/s | errors | p99 ms | CPU ms | JIT % |
|---|---|---|---|---|---|---|---|---|---|---|
$(curve_table)
EOF
  fi
  cat <<EOF

## Steady state

How long each target was loaded before the fixed runs, and when it was steady (the load before the first of two
${SLICE} s slices in a row with every JVM on its path spending less than ${STEADY_JIT}% of its CPU compiling and req/s
within 10%). The measured runs report their own JIT share (tables above and below): under ${STEADY_JIT}% is steady.

| target | fresh start | loaded | steady after | last warm-up slice |
|---|---|---|---|---|
$(steady_table)

## Throughput at fixed connections, every run

req/s and latency as wrk measures them; errors = socket errors (connect, read, write, timeout) + HTTP status ≥ 400
(wrk's count); ⚠ = a container exited or restarted during the run (see Notes). CPU in ms per request as above.
*busy* = the whole machine, % of $CORES cores; *outside* = CPU seconds used by everything else on the machine
during the run (other projects, the engine, the kernel).

| target | conns | round | req/s | p50 ms | p99 ms | max ms | errors | front | replicas | Redis | docker-proxy | stack | JIT % front | JIT % replicas | busy | outside s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(runs_table fixed)

Medians of the rounds:

| target | conns | req/s | rounds' range | p50 ms | p99 ms | CPU ms/request, the target's stack |
|---|---|---|---|---|---|---|
$(summary_rows)

Ratios (median of the rounds' own ratios, each comparing runs seconds apart):

| ratio | $(for c in $CONNECTIONS; do printf '%s connections | ' "$c"; done)
|---|$(for c in $CONNECTIONS; do printf -- '---|'; done)
$(ratio_rows)
EOF
  if has_target variant; then
    cat <<EOF

## A/B: the variant gateway against the gateway, $MAIN_CONNS connections

$(variant_section)
EOF
  fi
  if has_target traced; then
    cat <<EOF

## Tracing: 100% sampling against none, $MAIN_CONNS connections

$(tracing_section)
EOF
  fi
  if [[ $RATE -gt 0 ]]; then
    cat <<EOF

## Fixed rate: $RATE req/s, $RATE_CONNECTIONS connections, every run

| target | conns | round | offered | req/s | p50 ms | p99 ms | max ms | errors | front | replicas | Redis | docker-proxy | stack | JIT % front | JIT % replicas | busy | outside s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(runs_table rate)
EOF
  fi
  cat <<EOF

## CPU ms per request, every container

Containers not in a target's path still show their health checks and idle work; "?" = the container restarted
during the run (its counter started again from zero).

$(cpu_table_header)
$(cpu_table)

## Memory after the load

*usage* as \`docker stats\` shows it (cgroup memory less inactive file cache); *RSS* = resident memory of the
container's processes. MiB.

| container | usage | RSS | limit | since the stack came up |
|---|---|---|---|---|
$(awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$WORK/memory.tsv")
EOF
  if ((${#PROFILE_FILE[@]})); then
    echo
    echo "## Profiles"
    echo
    echo "JFR (settings=profile, ${PROFILE_SECONDS} s) during a steady-state run through the gateway at $CURVE_CONNS connections:"
    echo "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $col["phase"] == "profile" { printf "%s req/s, p99 %s ms, %s errors", $col["rps"], $col["p99"], $col["errors"] }' "$RUNS") (not among the measured runs)."
    echo "Summaries: hot methods, packages by samples, threads by CPU, allocations, GC pauses."
    echo
    for key in "${!PROFILE_FILE[@]}"; do
      echo "- $key: [$(basename "${PROFILE_FILE[$key]}")]($(basename "${PROFILE_FILE[$key]}")); the packages whose code ran most (top frame of the samples):"
      awk '/^== Packages by the top frame/ { on = 1; next } /^==/ { on = 0 } on && NF == 3 && $2 ~ /%$/ && n < 6 { printf "%s %s %s", n ? "," : " ", $3, $2; n++ } END { print "" }' "$WORK/profile/$key.txt"
    done
  fi
  cat <<EOF

## Start-up ($CORES cores, informational)

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
  else
    printf 'Not measured (--skip-startup).\n\n'
  fi
  [[ -z $UP_SECONDS ]] || cat <<EOF
\`docker compose up -d\` on built images (compose.yaml as shipped: Redis, 3 replicas, the gateway) until every
container reports healthy: **$UP_SECONDS s** on $CORES cores (health checks run every 2 s, so this is up to 2 s late; the three
replicas start together on $CORES cores). JVM "process running for" in that start-up:
$(awk -F'\t' '{ a[$1] = a[$1] (a[$1] ? ", " : "") $2 } END { for (k in a) printf "%s: %s s; ", k, a[k] }' "$WORK/compose-up.tsv" | sed 's/; $/./')

EOF
  cat <<EOF
## Warm-up runs, every slice

| target | conns | s of load | req/s | p50 ms | p99 ms | max ms | errors | front | replicas | Redis | docker-proxy | stack | JIT % front | JIT % replicas | busy | outside s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(runs_table "prime|curve|warmup")

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
