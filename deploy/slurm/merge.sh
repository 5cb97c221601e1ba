#!/bin/bash
# The merge step of array.sh, submitted by submit.sh with --dependency=afterok on the array: joins
# every shard in $SHARD_DIR into $RESULT, exactly what one machine's
# `entente run $SCENARIO --runs $RUNS --seed $SEED --format json` prints. A missing or foreign shard
# fails the job (exit 2) with every problem in its log.
#SBATCH --job-name=entente-merge
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=00:30:00
#SBATCH --output=entente-merge-%j.log
set -euo pipefail

SCENARIO=${SCENARIO:-scenarios/baku-israel/baseline.yaml}
SHARD_DIR=${SHARD_DIR:-shards}
RESULT=${RESULT:-result.json}
read -r -a entente <<<"${ENTENTE:-entente}"

# A folder gives its *.json files; entente checks that they are one complete set.
"${entente[@]}" merge "$SCENARIO" "$SHARD_DIR" --format json --out "$RESULT"
