/**
 * How many threads a run may use (`specrun run --threads N`, or the environment's `SPECRUN_THREADS`): the flag wins
 * over the environment, and without either a run may use every core the process may run on
 * (`os.availableParallelism()`). One thread means no worker threads at all: the models and replications run on the
 * main thread, in order. Any other count only decides how many workers share the work; the results are the same bits
 * (engine/run/parallel.ts).
 */
import { availableParallelism } from 'node:os';

/** The largest count accepted (a typo such as `--threads 1000` is refused rather than starting 1,000 workers). */
export const MAX_THREADS = 256;

export type ThreadsSetting = { readonly threads: number } | { readonly error: string };

/** `flag`: the value of `--threads` (undefined when absent); `env`: `SPECRUN_THREADS` (undefined or '' when unset). */
export function resolveThreads(flag: string | undefined, env: string | undefined): ThreadsSetting {
  if (flag !== undefined) return parseThreads(flag, '--threads');
  if (env !== undefined && env.trim() !== '') return parseThreads(env, 'SPECRUN_THREADS');
  return { threads: Math.max(1, Math.min(MAX_THREADS, availableParallelism())) };
}

function parseThreads(text: string, where: string): ThreadsSetting {
  const t = text.trim();
  if (!/^[0-9]+$/.test(t) || Number(t) < 1 || Number(t) > MAX_THREADS)
    return {
      error: `${where} ${JSON.stringify(text)}: the number of threads is a whole number from 1 to ${MAX_THREADS} (1 = no worker threads; default: every core, ${availableParallelism()} here)`,
    };
  return { threads: Number(t) };
}
