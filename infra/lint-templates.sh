#!/usr/bin/env bash
# cfn-lint (pinned in requirements-local.txt, in .venv) on the templates `cdk synth` writes without and
# with the Fargate worker. Usage: infra/lint-templates.sh [RESULTS_JSON] — the file gets jest's
# pass/fail counts, one per template, for .ci/run's closing line.
set -uo pipefail
results=${1:+$(realpath -m "$1")}
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0

lint() {
  local name=$1
  shift
  if npx --no-install cdk synth -q -o "$out/$name" "$@" >/dev/null &&
    ../.venv/bin/cfn-lint "$out/$name/CustomLabelsBatch.template.json"; then
    passed=$((passed + 1))
    echo "ok   cfn-lint: $name"
  else
    failed=$((failed + 1))
    echo "FAIL cfn-lint: $name"
  fi
}

lint 'the pipeline'
lint 'the pipeline with the Fargate worker' -c worker=true -c alarmEmail=ops@example.com \
  -c workerImage=123456789012.dkr.ecr.us-east-1.amazonaws.com/custom-labels-batch:1 \
  -c temporalSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:temporal-AbCdEf

echo "cfn-lint: $passed passed, $failed failed"
if [ -n "$results" ]; then
  printf '{"numPassedTests":%d,"numFailedTests":%d,"testResults":[]}\n' "$passed" "$failed" >"$results"
fi
[ "$failed" -eq 0 ]
