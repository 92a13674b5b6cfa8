/**
 * `specrun run --watch`: run once, then again on every save of a spec file (any layer of its `extends` chain) or of a
 * data file it reads. The result cache decides what is estimated again, so a one-line edit re-estimates the models it
 * touches and nothing else. After each run the cells that changed since the previous run are printed (the same
 * cell-by-cell comparison as `specrun diff --results`).
 *
 * Folders are watched rather than files: editors often save by writing a new file and renaming it over the old one,
 * which ends a watch on the file itself. Changes within DEBOUNCE_MS are taken together.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { dataFiles } from '../data/build-data.js';
import { diffResults, formatResultsDiff } from '../diff/results-diff.js';
import type { ModelResult } from '../results/types.js';
import type { SpecRun } from '../run/pipeline.js';

const DEBOUNCE_MS = 120;

export interface WatchIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd: string;
  signal?: AbortSignal;
}

type Flags = Map<string, string | true>;
type RunOnce = (
  positional: string[],
  flags: Flags,
  io: WatchIo,
  sink: (runs: readonly SpecRun[]) => void,
) => Promise<number>;

/** The files a run read: every layer of every spec and each spec's data file. */
export function watchedFiles(runs: readonly SpecRun[], named: readonly string[]): string[] {
  const files = new Set(named);
  for (const r of runs) {
    for (const layer of r.checked.loaded.layers) files.add(layer.absPath);
    // The data files: every workbook of a glob, the joined tables, a built-in dataset's own data spec.
    for (const f of dataFiles(r.checked.plan)) files.add(f);
  }
  return [...files].sort();
}

function resultsOf(runs: readonly SpecRun[]): Map<string, ModelResult> {
  const m = new Map<string, ModelResult>();
  for (const r of runs) for (const model of r.models) m.set(model.id, model.result);
  return m;
}

export async function watchCommand(positional: string[], flags: Flags, io: WatchIo, runOnce: RunOnce): Promise<number> {
  const named = positional.map((p) => resolve(io.cwd, p));
  let previous: Map<string, ModelResult> | null = null;
  let files: string[] = named;
  let round = 0;

  const runRound = async (): Promise<void> => {
    round++;
    let runs: readonly SpecRun[] | null = null;
    const code = await runOnce(positional, flags, io, (r) => {
      runs = r;
    });
    if (runs) {
      const current = resultsOf(runs);
      files = watchedFiles(runs, named);
      if (previous) io.stdout.write(formatResultsDiff(diffResults(previous, current), 'text'));
      previous = current;
    }
    io.stderr.write(
      `[watch] run ${round} ${code === 0 ? 'done' : `failed (exit ${code})`}; watching ${files.length} file(s) — Ctrl-C to stop\n`,
    );
  };

  await runRound();

  return await new Promise<number>((done) => {
    let watchers: FSWatcher[] = [];
    let timer: NodeJS.Timeout | null = null;
    let running = false;
    let again = false;

    const rewatch = () => {
      for (const w of watchers) w.close();
      const byDir = new Map<string, Set<string>>();
      for (const f of files) {
        const set = byDir.get(dirname(f)) ?? new Set<string>();
        set.add(basename(f));
        byDir.set(dirname(f), set);
      }
      watchers = [];
      for (const [dir, names] of byDir) {
        try {
          watchers.push(
            watch(dir, (_event, name) => {
              if (name === null || names.has(String(name))) schedule();
            }),
          );
        } catch {
          io.stderr.write(`[watch] cannot watch ${dir}\n`);
        }
      }
    };
    const schedule = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, DEBOUNCE_MS);
    };
    const fire = async () => {
      timer = null;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        await runRound();
        rewatch();
      } finally {
        running = false;
      }
      if (again) {
        again = false;
        schedule();
      }
    };
    const stop = () => {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done(0);
    };
    rewatch();
    if (io.signal) {
      if (io.signal.aborted) stop();
      else io.signal.addEventListener('abort', stop, { once: true });
    } else {
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }
  });
}
