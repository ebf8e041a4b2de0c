#!/usr/bin/env bash
# Builds compose-check from the Go module proxy (go.sum pins every module) and checks the repository's
# compose files. Usage: tools/compose-check/run.sh [RESULTS_JSON]
set -euo pipefail
results=${1:+$(realpath -m "$1")}
cd "$(dirname "$0")"
go run . ../.. ${results:+"$results"}
