#!/usr/bin/env bash
# Any CI: write the pull request's semantic diff of the specs as Markdown, for the CI's own "post a comment" step.
# Usage: scripts/pr-diff.sh BASE_REVISION [SPEC_DIR] [OUTPUT.md]   (exit 1 when a gate set in FAIL_ON trips)
#   FAIL_ON=stars@table1 scripts/pr-diff.sh origin/main specs/paper diff.md
set -euo pipefail
base="${1:?base revision, e.g. origin/main}"
specs="${2:-specs/paper}"
out="${3:-specrun-diff.md}"
git rev-parse --verify --quiet "$base^{commit}" >/dev/null || git fetch --quiet origin "${base#origin/}"
npx --no-install specrun diff --rev "$base" "$specs" --results --format md > "$out"
echo "wrote $out"
if [ -n "${FAIL_ON:-}" ]; then
  npx --no-install specrun diff --rev "$base" "$specs" --results --fail-on "$FAIL_ON" > /dev/null
fi
