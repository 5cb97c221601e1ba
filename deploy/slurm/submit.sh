#!/bin/bash
# Submit array.sh as a job array, then merge.sh to start once every array task has succeeded.
# Options are passed to the array's sbatch (`deploy/slurm/submit.sh --array=0-31 --partition=short`);
# SCENARIO, RUNS, SEED, SHARD_DIR, RESULT and ENTENTE reach both jobs through the environment
# (sbatch exports it by default).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

array=$(sbatch --parsable "$@" "$here/array.sh")
array=${array%%;*} # --parsable prints JOBID or JOBID;CLUSTER
merge=$(sbatch --parsable --dependency=afterok:"$array" "$here/merge.sh")
merge=${merge%%;*}
echo "shards: job array $array; merge: job $merge (starts when every shard has succeeded)"
