// Compile a LaTeX file with a real engine in a temporary folder and fail on any LaTeX error, on a missing character
// and on any overfull box wider than 1 pt (`Overfull \hbox (33.1pt too wide)` in the log).
// Usage: node scripts/compile-latex.mjs FILE.tex xelatex|pdflatex
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const [file, engine = 'xelatex'] = process.argv.slice(2);
if (!file) {
  console.error('usage: compile-latex.mjs FILE.tex [xelatex|pdflatex]');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'specrun-tex-'));
const name = basename(file);
copyFileSync(resolve(file), join(dir, name));
try {
  // Twice, so that longtable widths settle; -halt-on-error makes any LaTeX error fatal.
  for (let i = 0; i < 2; i++) {
    execFileSync(engine, ['-interaction=nonstopmode', '-halt-on-error', name], { cwd: dir, stdio: 'pipe' });
  }
  const log = readFileSync(join(dir, name.replace(/\.tex$/, '.log')), 'utf8');
  const problems = log.split('\n').filter((l) => {
    if (/^! |Missing character/.test(l)) return true;
    const over = /^Overfull \\[hv]box \(([\d.]+)pt too (wide|high)\)/.exec(l);
    return over !== null && Number(over[1]) > 1;
  });
  if (problems.length > 0) {
    console.error(`${file}: ${engine} reported:\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`${file}: compiled with ${engine}`);
} catch (e) {
  const log = (() => {
    try {
      return readFileSync(join(dir, name.replace(/\.tex$/, '.log')), 'utf8');
    } catch {
      return '';
    }
  })();
  console.error(
    `${file}: ${engine} failed\n${
      log
        .split('\n')
        .filter((l) => l.startsWith('!'))
        .slice(0, 10)
        .join('\n') || String(e)
    }`,
  );
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
