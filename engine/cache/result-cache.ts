/**
 * The result cache: one JSON file per model result in `.specrun-cache/` of the working directory, named by its key.
 *
 * key = SHA-256 of (the model's normalized fingerprint — model, derived variables it reads, data spec, data file
 * checksum, engine version — and the engine build id). An entry holds the key again, the SHA-256 of its payload and
 * the payload (the ModelResult in exact JSON, see codec.ts). On reading, an entry that is not valid JSON, whose key
 * is not the one asked for (a file copied or renamed), whose payload checksum does not match (truncated or edited)
 * or whose payload does not decode is reported as corrupt and the model is estimated again; it is never trusted.
 * Entries are written atomically (a temporary file in the same folder, renamed over the entry), so a reader never
 * sees half an entry. Unlike the outputs (engine/io/atomic-write.ts) they are not fsynced: an entry lost or
 * truncated by a crash is only a miss or a checksum mismatch, and an fsync per model would cost more than
 * estimating a small model. A write failure (read-only folder, full disk) only means the result is not cached.
 *
 * Fits (issue 12, "fit, then variance") are kept the same way in `fits/`, under a key without the variance choice
 * (`fitKeyOf`): a model whose result misses because only its `vcov` or `ssc` changed finds its fit there, and only
 * its variance is computed (engine/run/estimate-model.ts).
 */
import { readFileLimited } from '../core/read-limited.js';
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { ModelResult } from '../results/types.js';
import { sha256 } from '../core/hashing.js';
import { engineVersion } from '../version.js';
import { decodeExact, encodeExact, sameValue, UnencodableValue } from './codec.js';
import { engineBuildId } from './engine-build.js';

export const CACHE_DIR = '.specrun-cache';
const FORMAT = 'specrun-cache 1';
const FITS_DIR = 'fits';

export type CacheLookup =
  | { readonly status: 'hit'; readonly result: ModelResult }
  | { readonly status: 'miss' }
  | { readonly status: 'corrupt'; readonly reason: string };

export interface CacheStats {
  hits: number;
  misses: number;
  corrupt: number;
  stored: number;
  unstorable: number;
  /** Fits (engine/estimate/fit-variance.ts) found, not found, and stored: a fit found means only the variance ran. */
  fitHits: number;
  fitMisses: number;
  fitStored: number;
}

interface Entry {
  format: string;
  key: string;
  engine: string;
  model: string;
  checksum: string;
  payload: string;
}

export interface ResultCacheOptions {
  /** Look entries up (false for `--no-cache`: everything is estimated, and the fresh results refresh the cache). */
  readonly read?: boolean;
  /** Store fresh results. __Default value:__ true */
  readonly write?: boolean;
}

export class ResultCache {
  readonly stats: CacheStats = {
    hits: 0,
    misses: 0,
    corrupt: 0,
    stored: 0,
    unstorable: 0,
    fitHits: 0,
    fitMisses: 0,
    fitStored: 0,
  };
  /** Corrupt entries met, with the reason (the CLI reports them). */
  readonly problems: { key: string; model: string; reason: string }[] = [];
  private readonly read: boolean;
  private readonly write: boolean;

  constructor(
    readonly dir: string,
    opts: ResultCacheOptions = {},
  ) {
    this.read = opts.read ?? true;
    this.write = opts.write ?? true;
  }

  /** The cache key of a model from its fingerprint hash (adds the engine build, so changed code never hits). */
  static keyOf(fingerprintHash: string): string {
    return sha256(`${FORMAT}\n${engineVersion()}\n${engineBuildId()}\n${fingerprintHash}`);
  }

  /**
   * The cache key of a model's fit: from its fingerprint without the variance choice (engine/fingerprint
   * `fitFingerprints`) and what the variance choice decides about the sample (`FitWithoutVcov.sampleKey`).
   */
  static fitKeyOf(fitFingerprintHash: string, sampleKey: unknown): string {
    return sha256(
      `${FORMAT} fit\n${engineVersion()}\n${engineBuildId()}\n${fitFingerprintHash}\n${JSON.stringify(sampleKey)}`,
    );
  }

  pathOf(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** Fits live in a folder of their own (`fits/`), beside the results. */
  fitPathOf(key: string): string {
    return join(this.dir, FITS_DIR, `${key}.json`);
  }

  /** Whether fresh results are stored (worker threads store theirs themselves: engine/run/parallel.ts). */
  get writes(): boolean {
    return this.write;
  }

  /** Whether entries are looked up (false for `--no-cache`; worker threads look up fits as this cache does). */
  get reads(): boolean {
    return this.read;
  }

  /** Counts of entries another ResultCache on the same folder stored (a worker thread's), added to this one's. */
  absorb(counts: Partial<CacheStats>): void {
    for (const [k, v] of Object.entries(counts) as [keyof CacheStats, number][]) this.stats[k] += v;
  }

  get(key: string, model = ''): CacheLookup {
    if (!this.read) {
      this.stats.misses++;
      return { status: 'miss' };
    }
    const r = this.lookup(key);
    if (r.status === 'hit') this.stats.hits++;
    else if (r.status === 'miss') this.stats.misses++;
    else {
      this.stats.corrupt++;
      this.problems.push({ key, model, reason: r.reason });
    }
    return r;
  }

  /**
   * Every entry's result when all of them are cached (counted as hits), or null — with nothing counted — when any
   * is not: a caller that finds every model cached need not build the data at all.
   */
  getAll(keys: readonly string[]): ModelResult[] | null {
    if (!this.read) return null;
    const out: ModelResult[] = [];
    for (const key of keys) {
      const r = this.lookup(key);
      if (r.status !== 'hit') return null;
      out.push(r.result);
    }
    this.stats.hits += out.length;
    return out;
  }

  /**
   * Any other value stored under `key` (a run's data summary, engine/run/pipeline.ts), checked like a result
   * entry; `accept` says whether the decoded payload has the expected shape. Null for a miss or a bad entry.
   */
  getValue<T>(key: string, accept: (v: unknown) => v is T, folder = 'data'): T | null {
    if (!this.read) return null;
    const r = this.lookup(key, accept, this.valuePathOf(key, folder));
    return r.status === 'hit' ? (r.result as unknown as T) : null;
  }

  /**
   * Store any other value (see getValue), in the subfolder `folder` (`data/` for data summaries, `checks/` for the
   * data checks of engine/run/base-check.ts); returns whether it was stored. Never throws.
   */
  putValue(key: string, label: string, value: unknown, folder = 'data'): boolean {
    return this.store(key, label, value, this.valuePathOf(key, folder));
  }

  private valuePathOf(key: string, folder: string): string {
    return join(this.dir, folder, `${key}.json`);
  }

  /** A model's fit stored by `putFit`, or undefined (a corrupt entry is reported as for results, and is a miss). */
  getFit(key: string, model = ''): unknown {
    if (!this.read) {
      this.stats.fitMisses++;
      return undefined;
    }
    const r = this.lookup(key, (v) => typeof v === 'object' && v !== null, this.fitPathOf(key));
    if (r.status === 'hit') {
      this.stats.fitHits++;
      return r.result;
    }
    if (r.status === 'corrupt') this.problems.push({ key, model, reason: r.reason });
    this.stats.fitMisses++;
    return undefined;
  }

  /**
   * Store a fit (plain data and typed arrays; a fit the codec cannot reproduce exactly is not stored). A fit holding
   * more than MAX_FIT_NUMBERS numbers is not stored either: as exact JSON it costs far more to write and read than to
   * fit again (10⁶ rows, 5 regressors: ≈ 8 s of encoding and 100+ MB on disk, against ≈ 1 s of fitting; issue 19).
   */
  putFit(key: string, model: string, fit: unknown): boolean {
    if (numbersIn(fit, MAX_FIT_NUMBERS) > MAX_FIT_NUMBERS) return false;
    const stored = this.store(key, model, fit, this.fitPathOf(key));
    if (stored) this.stats.fitStored++;
    return stored;
  }

  private lookup(key: string, accept: (v: unknown) => boolean = looksLikeResult, path = this.pathOf(key)): CacheLookup {
    let text: string;
    try {
      text = readFileLimited(path, 'cache').toString('utf8');
    } catch {
      return { status: 'miss' };
    }
    let entry: Partial<Entry>;
    try {
      entry = JSON.parse(text) as Partial<Entry>;
    } catch {
      return { status: 'corrupt', reason: 'not valid JSON' };
    }
    if (typeof entry !== 'object' || entry === null || entry.format !== FORMAT)
      return { status: 'corrupt', reason: 'unknown entry format' };
    if (entry.key !== key) return { status: 'corrupt', reason: 'the entry belongs to another key' };
    if (typeof entry.payload !== 'string' || entry.checksum !== sha256(entry.payload))
      return { status: 'corrupt', reason: 'payload checksum mismatch' };
    let result: unknown;
    try {
      result = decodeExact(entry.payload);
    } catch {
      return { status: 'corrupt', reason: 'payload does not decode' };
    }
    if (!accept(result)) return { status: 'corrupt', reason: 'payload is not a model result or fit' };
    return { status: 'hit', result: result as ModelResult };
  }

  /** Store a fresh result; returns whether it was stored. Never throws. */
  put(key: string, model: string, result: ModelResult): boolean {
    const stored = this.store(key, model, result, this.pathOf(key));
    if (stored) this.stats.stored++;
    return stored;
  }

  private store(key: string, model: string, value: unknown, target: string): boolean {
    if (!this.write) return false;
    let payload: string;
    try {
      payload = encodeExact(value);
      // Store only what reads back exactly: a cached run must render byte for byte what a fresh one does.
      if (!sameValue(decodeExact(payload), value)) {
        this.stats.unstorable++;
        return false;
      }
    } catch (e) {
      if (e instanceof UnencodableValue) {
        this.stats.unstorable++;
        return false;
      }
      throw e;
    }
    const entry: Entry = { format: FORMAT, key, engine: engineVersion(), model, checksum: sha256(payload), payload };
    const temp = join(dirname(target), `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(temp, JSON.stringify(entry) + '\n', { flag: 'wx' });
      renameSync(temp, target);
    } catch {
      try {
        unlinkSync(temp);
      } catch {
        /* never created */
      }
      this.stats.unstorable++;
      return false;
    }
    return true;
  }
}

/** The largest fit (count of numbers in its arrays) the cache stores. */
export const MAX_FIT_NUMBERS = 1_000_000;

/** How many numbers a value holds in its arrays and typed arrays (counting stops once past `limit`). */
function numbersIn(v: unknown, limit: number): number {
  let n = 0;
  const walk = (x: unknown): void => {
    if (n > limit || typeof x !== 'object' || x === null) return;
    if (ArrayBuffer.isView(x)) {
      n += (x as unknown as ArrayLike<unknown>).length ?? 0;
      return;
    }
    if (Array.isArray(x)) {
      n += x.length;
      for (const y of x) {
        if (typeof y === 'object') walk(y);
      }
      return;
    }
    for (const y of Object.values(x)) walk(y);
  };
  walk(v);
  return n;
}

function looksLikeResult(v: unknown): v is ModelResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['estimator'] === 'string' &&
    typeof r['nobs'] === 'number' &&
    typeof r['coefficients'] === 'object' &&
    r['coefficients'] !== null &&
    typeof r['stats'] === 'object' &&
    Array.isArray(r['fixedEffects']) &&
    Array.isArray(r['notes'])
  );
}
