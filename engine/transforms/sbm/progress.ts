/**
 * The SBM progress indicator: a one-line bar on stderr, only when stderr is a terminal and CI is not set, and only
 * once a run has lasted a second (short runs print nothing). Kept apart so that sbmEfficiency stays pure: it only
 * calls the callback it is given.
 */

/** Given the variable's name, a progress callback or undefined. */
export type ProgressFactory = (name: string) => ((done: number, total: number) => void) | undefined;

export const terminalProgress: ProgressFactory = (name) => {
  const stream = process.stderr;
  if (!stream.isTTY || process.env['CI']) return undefined;
  const start = Date.now();
  let shown = false;
  return (done, total) => {
    if (!shown && Date.now() - start < 1000) return;
    shown = true;
    const width = 30;
    const filled = Math.round((width * done) / Math.max(total, 1));
    stream.write(`\r${name}: [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) stream.write('\n');
  };
};
