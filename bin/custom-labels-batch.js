#!/usr/bin/env node
// Runs the TypeScript sources directly, so the command never lags behind the code.
require('tsx/cjs');
require('../src/cli/main.ts');
