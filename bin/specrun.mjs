#!/usr/bin/env node
// Entry point: the compiled engine lives in dist/ (built by `npm ci` through the prepare script); bin/engine-loader.mjs
// loads its single-file bundle with V8's code cache when they are current, else dist/cli/main.js.
import { loadMain } from './engine-loader.mjs';

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
