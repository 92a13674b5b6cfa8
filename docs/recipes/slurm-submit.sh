#!/bin/bash
# Queue N shards as one Slurm array job and the assembly as a job that starts once all of them succeeded.
# Usage: docs/recipes/slurm-submit.sh [N] [SPEC]     (from the project's folder, on the cluster's login node)
set -euo pipefail
N=${1:-4}
SPEC=${2:-specs/paper/robustness}
mkdir -p logs
jobid=$(sbatch --parsable --array=1-"$N" --export=ALL,N="$N",SPEC="$SPEC" docs/recipes/slurm-shard.sbatch)
sbatch --dependency=afterok:"$jobid" --export=ALL,SPEC="$SPEC" docs/recipes/slurm-assemble.sbatch
