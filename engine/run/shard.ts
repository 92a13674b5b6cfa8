/**
 * `specrun run --shard K/N`: which models a shard runs. A model belongs to shard 1 + (h mod N), where h is the first
 * 32 bits of the SHA-256 of its id within its spec (`fe_all`, `robust[sample=all,ctrl=paper]`). The assignment
 * depends on nothing but the id and N: it is the same on every machine and in every process, and a model keeps its
 * shard when the spec gains or loses other models (a position in a list would move every later model). The shards
 * are balanced in expectation (a multinomial split of the ids), not exactly.
 */
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { sha256 } from '../core/hashing.js';

export interface Shard {
  /** 1-based: 1 ≤ index ≤ count. */
  readonly index: number;
  readonly count: number;
}

/** The largest N accepted (a bigger array of jobs than models is a mistake more often than a plan). */
export const MAX_SHARDS = 100_000;

/** `K/N` → the shard; anything else is a CLI_SHARD error saying what is wrong. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const bad = (detail: string) => new SpecrunError('CLI_SHARD', { value: text, detail });
  if (!m) throw bad('expected K/N with whole numbers, such as 2/4');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw bad('N must be at least 1');
  if (count > MAX_SHARDS) throw bad(`N must be at most ${MAX_SHARDS}`);
  if (index < 1) throw bad('K counts from 1');
  if (index > count) throw bad(`K must be at most N (${count})`);
  return { index, count };
}

/** The shard (1-based) a model id belongs to among `count`. */
export function shardOf(modelId: string, count: number): number {
  return 1 + (Number.parseInt(sha256(modelId).slice(0, 8), 16) % count);
}

export function inShard(modelId: string, shard: Shard): boolean {
  return shardOf(modelId, shard.count) === shard.index;
}
