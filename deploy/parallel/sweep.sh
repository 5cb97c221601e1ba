#!/bin/bash
# A sweep spread over GNU parallel jobs (the cores of one machine, or several machines sharing a
# folder), then joined. Job J (PARALLEL_SEQ, 1 … ENTENTE_SHARDS) evaluates block J − 1 of the
# design's points with `--shard auto`; merge-sweep joins the blocks into exactly what the whole
# `entente sweep` prints, every point on the same trials.
#
#   deploy/parallel/sweep.sh          # ENTENTE_SHARDS jobs here, then the merge
#   deploy/parallel/sweep.sh shard    # one block: what each parallel job runs
#   deploy/parallel/sweep.sh merge    # join the blocks in $SHARD_DIR into $RESULT
#
# Other machines: PARALLEL_OPTS="--sshloginfile nodes --workdir $PWD" with $SHARD_DIR on a shared
# file system and entente installed on each (ENTENTE_SHARDS is passed to them with --env).
set -euo pipefail

SCENARIO=${SCENARIO:-scenarios/baku-israel/baseline.yaml}
SWEEP=${SWEEP:---vary turkey_weight=0.8..1.4:13 --at 12,24}
RUNS=${RUNS:-40000}
SEED=${SEED:-20241124}
export ENTENTE_SHARDS=${ENTENTE_SHARDS:-4}
SHARD_DIR=${SHARD_DIR:-sweep-blocks}
RESULT=${RESULT:-sweep.json}
read -r -a entente <<<"${ENTENTE:-entente}"
read -r -a sweep <<<"$SWEEP"

case "${1:-all}" in
shard)
  "${entente[@]}" sweep "$SCENARIO" "${sweep[@]}" --runs "$RUNS" --seed "$SEED" --shard auto \
    --format json --out "$SHARD_DIR/block-$PARALLEL_SEQ.json"
  ;;
merge)
  # Quoted: entente expands the pattern itself (in natural order; the order does not matter).
  "${entente[@]}" merge-sweep "$SCENARIO" "$SHARD_DIR/block-*.json" --format json --out "$RESULT"
  ;;
all)
  mkdir -p "$SHARD_DIR"
  read -r -a parallel_opts <<<"${PARALLEL_OPTS:-}"
  # -N0: run one job per line of seq without appending it; PARALLEL_SEQ numbers the jobs.
  seq "$ENTENTE_SHARDS" |
    parallel -N0 --halt now,fail=1 --env ENTENTE_SHARDS ${parallel_opts[@]+"${parallel_opts[@]}"} "$0" shard
  "$0" merge
  ;;
*)
  echo "usage: $0 [all|shard|merge]" >&2
  exit 2
  ;;
esac
