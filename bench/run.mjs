// `npm run bench`: builds the engine (dist/ and its bundle, as `npm run build`), then runs every bench/*.bench.mjs in
// name order.
// Each bench module exports `name` (a string) and `run()` (async), prints its own lines, and measures its own
// baseline in the same run so that what it prints are ratios, not absolute claims. Select with: npm run bench -- ols
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
execFileSync(
  process.execPath,
  [join(here, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(here, '..', 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
// The single-file bundle and its code cache (scripts/bundle.mjs), which bin/specrun.mjs loads when they are current.
execFileSync(process.execPath, [join(here, '..', 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter)))
  .sort();
for (const f of files) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  console.log(`\n== ${mod.name ?? f} ==`);
  await mod.run();
}
