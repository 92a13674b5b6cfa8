/**
 * The embedded datasets, by the name a spec gives as `data.source: builtin:NAME`. Files live in `data/` at the
 * package root, which is found by walking up from this module to the nearest package.json — so the same code works
 * from `engine/data/` (vitest, tsx) and from `dist/data/` (the compiled CLI, or an installed package).
 */
import { join, resolve as resolvePath } from 'node:path';
import { packageRoot } from '../version.js';

export interface BuiltinDataset {
  /** Absolute path of the data file. */
  readonly file: string;
  /** Panel unit column. */
  readonly unit: string;
  /** Panel time column. */
  readonly time: string;
  /** True when the values are synthetic: every table rendered from them must say so. */
  readonly synthetic: boolean;
  /** One line for provenance notes. */
  readonly description: string;
  /**
   * The dataset's own data spec (a YAML file with a `data:` section): its unit aliases and fixes apply whenever a
   * spec reads this dataset, before the spec's own, and are reported at their lines in that file.
   */
  readonly spec?: string;
}

export { packageRoot };

const root = packageRoot();

export const builtinDatasets: Record<string, BuiltinDataset> = {
  'city-panel': {
    file: join(root, 'data', 'city-panel.csv'),
    spec: join(root, 'data', 'city-panel.data.yaml'),
    unit: 'city',
    time: 'year',
    synthetic: true,
    description:
      'builtin:city-panel — SYNTHETIC data (real city names, simulated values from scripts/generate-city-panel.mjs, ' +
      'seed and true parameters in data/city-panel.truth.json); 156 cities of 11 agglomerations, 2008–2017; not for substantive conclusions',
  },
};

/** The dataset registered under `name`, or undefined. */
export function resolveBuiltin(name: string): BuiltinDataset | undefined {
  return Object.hasOwn(builtinDatasets, name) ? builtinDatasets[name] : undefined;
}

/**
 * The file a data source names: the embedded dataset's file for `builtin:NAME`, else the path resolved against the
 * folder of the spec that wrote it. Null for an unknown built-in name (the data stage reports DATA_UNKNOWN_BUILTIN).
 * The one place a source is resolved (the data stage, the header check and the diff's checksum all use it).
 */
export function resolveSource(
  source: string,
  baseDir: string,
): { file: string; builtin: BuiltinDataset | null } | null {
  if (source.startsWith('builtin:')) {
    const b = resolveBuiltin(source.slice('builtin:'.length));
    return b ? { file: b.file, builtin: b } : null;
  }
  return { file: resolvePath(baseDir, source), builtin: null };
}
