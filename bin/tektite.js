#!/usr/bin/env node
// The command is bundled by `npm run build` (scripts/bundle-cli.mjs) into dist/cli: one CommonJS
// file per sub-command, which starts much faster than ~40 separate ES modules. This file is
// CommonJS too (bin/package.json), so no ES module loader is started at all.
require('../dist/cli/main.cjs');
