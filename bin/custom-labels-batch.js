#!/usr/bin/env node
// The compiled output when `npm run build` made it from these very sources (a fast start, the prebuilt
// workflow bundle); otherwise the TypeScript sources through tsx, so the command never runs stale code.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const stamp = join(__dirname, '../lib/build-stamp.js');
if (existsSync(stamp) && require(stamp).builtFromCurrentSources()) {
  require('../lib/cli/main.js');
} else {
  try {
    require('tsx/cjs');
  } catch {
    console.error(
      'error: lib/ is missing or older than src/, and tsx (a dev dependency) is not installed: run npm install, or npm run build.',
    );
    process.exit(1);
  }
  require('../src/cli/main.ts');
}
