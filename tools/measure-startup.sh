#!/usr/bin/env bash
# Time from `dotnet run` (already built) to every service answering /health with 200, in
# local Postgres mode. Cold = a new data folder (initdb on first start); warm = the same folder again.
# Usage: tools/measure-startup.sh [runs per kind, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
data=$(mktemp -d /tmp/sitecraft-startup-XXXXXX)
rmdir "$data"
# Aspire exposes each service's configured Kestrel port (appsettings.json) as its proxy port.
probes=(http://localhost:5210/health http://localhost:5220/health http://localhost:5230/health)

dotnet build SiteCraft.Ml.AppHost -v q -nologo >/dev/null

one_run() {
  local start now pid healthy
  start=$(date +%s.%N)
  dotnet run --project SiteCraft.Ml.AppHost --no-build -- --Postgres:Mode=local --Postgres:DataDirectory="$data" >/tmp/sitecraft-startup.log 2>&1 &
  pid=$!
  while true; do
    healthy=0
    for url in "${probes[@]}"; do
      if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url")" = 200 ]; then healthy=$((healthy + 1)); fi
    done
    now=$(date +%s.%N)
    if [ "$healthy" -eq "${#probes[@]}" ]; then break; fi
    if awk -v n="$now" -v s="$start" 'BEGIN { exit !(n - s > 180) }'; then echo "timeout; see /tmp/sitecraft-startup.log" >&2; kill "$pid"; exit 1; fi
    sleep 0.2
  done
  awk -v n="$now" -v s="$start" 'BEGIN { printf "%.2f\n", n - s }'
  # SIGTERM, like Ctrl+C: background jobs of a script ignore SIGINT. dotnet run's child is the AppHost.
  pkill -TERM -f 'SiteCraft.Ml.AppHost/bin/.*/SiteCraft.Ml.AppHost' || true
  wait "$pid" 2>/dev/null || true
  # The next run must not find this one's services still answering.
  for _ in $(seq 300); do
    answering=0
    for url in "${probes[@]}"; do
      if curl -s -o /dev/null --max-time 1 "$url"; then answering=1; fi
    done
    [ "$answering" -eq 0 ] && break
    sleep 0.2
  done
  if [ "$answering" -ne 0 ]; then echo "the previous run is still answering after 60 s" >&2; exit 1; fi
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cold=()
warm=()
for _ in $(seq "$runs"); do
  rm -rf "$data"
  cold+=("$(one_run)")
  warm+=("$(one_run)")
done
rm -rf "$data"
echo "cold (initdb) seconds: ${cold[*]}  median $(printf '%s\n' "${cold[@]}" | median)"
echo "warm seconds:          ${warm[*]}  median $(printf '%s\n' "${warm[@]}" | median)"
