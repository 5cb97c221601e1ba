#!/bin/bash
# One estimate spread over a Slurm job array: array task K runs shard K of the trials with
# `--shard auto` (which reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MIN)
# and writes its tallies to $SHARD_DIR; merge.sh, which submit.sh starts once every task has
# succeeded, joins them into exactly what `entente run` on one machine prints.
#
#   SCENARIO=scenarios/baku-israel/baseline.yaml RUNS=1000000 deploy/slurm/submit.sh
#
# The number of shards is the array's size: change --array below, or give it to submit.sh
# (`deploy/slurm/submit.sh --array=1-32`); the task ids need not start at 0, but must be one range,
# FIRST-LAST[:STEP] (a throttle, %4, is fine). Paths are relative to the directory you submit from.
#SBATCH --job-name=entente-shard
#SBATCH --array=0-7
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=512M
#SBATCH --time=02:00:00
#SBATCH --output=entente-shard-%A_%a.log
set -euo pipefail

SCENARIO=${SCENARIO:-scenarios/baku-israel/baseline.yaml}
RUNS=${RUNS:-1000000}
SEED=${SEED:-20241124}
SHARD_DIR=${SHARD_DIR:-shards}
# How to start the CLI: `entente` on PATH, or e.g. ENTENTE="apptainer exec entente.sif entente".
read -r -a entente <<<"${ENTENTE:-entente}"

mkdir -p "$SHARD_DIR"
"${entente[@]}" run "$SCENARIO" --runs "$RUNS" --seed "$SEED" --shard auto --format tallies \
  --out "$SHARD_DIR/shard-$SLURM_ARRAY_TASK_ID.json"
