#!/bin/bash
# usage: runbench.sh N  -> alternates before/after N times
cd /work/main
for i in $(seq 1 $1); do
  for v in before after; do
    f=bench/db.ts; [ $v = before ] && f=tmp-scratch/db-before.ts
    echo "=== $v run $i $(uptime)"
    npx tsx $f 2>&1 | grep -E "perSec|meanMs|ratio|toFirstQuery|startMs|loadAvg|error|FAIL|PASS"
  done
done
echo "=== end $(uptime)"
