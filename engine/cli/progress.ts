/**
 * Progress of long runs on stderr (`specrun run`): a bar with an ETA on a terminal, redrawn in place at most ten times
 * a second and cleared when the phase ends; when stderr is not a terminal (a log file, CI, a Slurm job), one plain
 * line every `intervalMs` (5 s by default, `SPECRUN_PROGRESS_INTERVAL` in milliseconds) while a phase is running.
 * Only phases of at least `PROGRESS_MIN_UNITS` models or replications are shown; nothing with --quiet (the caller
 * does not create one). Never written to an output file.
 */
import type { WorkEvent } from '../run/pipeline.js';

/** Phases with fewer units than this show nothing (the one-line summary per spec says enough). */
export const PROGRESS_MIN_UNITS = 20;
const BAR_WIDTH = 24;

export interface ProgressSink {
  write(s: string): unknown;
}

export class Progress {
  private phaseKey = '';
  private started = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressSink,
    private readonly tty: boolean,
    private readonly intervalMs: number = progressInterval(),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A phase started (`done` 0), advanced, or ended (`done` = `total`). */
  update(e: WorkEvent): void {
    if (e.total < PROGRESS_MIN_UNITS) return;
    const key = `${e.phase}\u0000${e.label}`;
    const t = this.now();
    if (key !== this.phaseKey || e.done === 0) {
      this.phaseKey = key;
      this.started = t;
      this.lastDraw = t;
    }
    if (this.tty) {
      if (e.done >= e.total) {
        this.clear();
        return;
      }
      if (t - this.lastDraw < 100 && this.drawn) return;
      this.lastDraw = t;
      this.drawn = true;
      this.out.write(`\r\x1b[K${this.bar(e, t)}`);
      return;
    }
    if (e.done >= e.total || t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    this.out.write(`progress: ${this.line(e, t)}\n`);
  }

  /** Removes the bar from the terminal (before other lines are printed). */
  clear(): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  private bar(e: WorkEvent, t: number): string {
    const filled = Math.round((BAR_WIDTH * e.done) / e.total);
    return `  [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${this.line(e, t)}`;
  }

  private line(e: WorkEvent, t: number): string {
    const what = e.phase === 'models' ? 'models' : `replications of ${e.label}`;
    const where = e.phase === 'models' ? `${e.label}: ` : '';
    const elapsed = (t - this.started) / 1000;
    const eta = e.done > 0 ? ` ETA ${duration((elapsed / e.done) * (e.total - e.done))}` : '';
    return `${where}${e.done}/${e.total} ${what}, ${duration(elapsed)} elapsed,${eta || ' ETA —'}`;
  }
}

function duration(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The interval of plain progress lines: `SPECRUN_PROGRESS_INTERVAL` (milliseconds), else 5 s. */
export function progressInterval(): number {
  const v = process.env['SPECRUN_PROGRESS_INTERVAL'];
  return v !== undefined && /^[0-9]+$/.test(v.trim()) ? Number(v) : 5000;
}
