/** Command-line conventions: per-command help, "did you mean", --version, completion scripts, and `run --watch`. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../engine/cli/main.js';
import { COMMANDS } from '../../engine/cli/commands.js';
import { runCli } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('command-line conventions', () => {
  it('each command has its own --help with usage, options and examples', async () => {
    for (const c of COMMANDS) {
      const r = await runCli([c.name, '--help'], root);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`specrun ${c.name} — `);
      expect(r.stdout).toMatch(/Usage:[\s\S]*Options:[\s\S]*Examples:/);
      for (const f of c.flags) expect(r.stdout).toContain(`--${f.name}`);
    }
    const help = await runCli(['help', 'run'], root);
    expect(help.stdout).toContain('--watch');
    const global = await runCli(['--help'], root);
    for (const c of COMMANDS) expect(global.stdout).toContain(c.name);
  });

  it('suggests the nearest command and flag', async () => {
    const cmd = await runCli(['rnu', 'x.yaml'], root);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command 'rnu': did you mean 'run'\?/);
    const flag = await runCli(['run', 'x.yaml', '--fromat', 'md'], root);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option --fromat for run: did you mean '--format'\?/);
    // A flag of another command is not accepted silently.
    const other = await runCli(['validate', 'x.yaml', '--out', 'o'], root);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/unknown option --out for validate/);
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version'], root);
    expect(r.stdout.trim()).toContain(pkg.version);
  });

  it('completion scripts name every command and flag, and the bash one is valid bash', async () => {
    const bash = await runCli(['completion', 'bash'], root);
    const zsh = await runCli(['completion', 'zsh'], root);
    for (const c of COMMANDS) {
      expect(bash.stdout).toContain(`${c.name})`);
      expect(zsh.stdout).toContain(`${c.name})`);
      for (const f of c.flags) expect(bash.stdout).toContain(`--${f.name}`);
    }
    const file = join(mkdtempSync(join(tmpdir(), 'specrun-comp-')), 'specrun.bash');
    writeFileSync(file, bash.stdout);
    // Sourcing it defines the completion function; asking it to complete `specrun ru` gives `run`.
    const out = execFileSync('bash', [
      '-c',
      `source ${file}; COMP_WORDS=(specrun ru); COMP_CWORD=1; _specrun; echo "\${COMPREPLY[@]}"`,
    ]).toString();
    expect(out.trim()).toBe('run');
    expect((await runCli(['completion', 'fish'], root)).code).toBe(2);
  });

  it('the package is named and bin-mapped so that the command is ours', () => {
    expect(pkg.name).toBe('specrun');
    expect(pkg.bin.specrun).toBe('bin/specrun.mjs');
    // Never published: `npx specrun` outside a checkout must not fetch a registry package of that name (README).
    expect(pkg.private).toBe(true);
  });
});

describe('specrun run --watch', () => {
  it('re-runs on a save: one model re-estimated, the table rewritten, the changed cells printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-watch-'));
    cpSync(join(root, 'data', 'grunfeld.csv'), join(dir, 'grunfeld.csv'));
    const spec = join(dir, 'w.yaml');
    const text = [
      'data: { source: ./grunfeld.csv, unit: firm, time: year }',
      'models:',
      '  a: { formula: inv ~ value + capital | firm, vcov: cluster(firm) }',
      '  b: { formula: inv ~ value + capital | firm + year, vcov: cluster(firm) }',
      'tables:',
      '  t: { columns: [a, b] }',
      '',
    ].join('\n');
    writeFileSync(spec, text);
    let stdout = '';
    let stderr = '';
    const ctrl = new AbortController();
    const waitFor = (re: RegExp) =>
      new Promise<void>((done, fail) => {
        const t0 = Date.now();
        const poll = () =>
          re.test(stderr)
            ? done()
            : Date.now() - t0 > 20_000
              ? fail(new Error(`timeout waiting for ${re}: ${stderr}`))
              : setTimeout(poll, 50);
        poll();
      });
    const finished = main(['run', 'w.yaml', '--out', 'out', '--format', 'md,json', '--watch'], {
      stdout: {
        write: (s: string) => {
          stdout += s;
          return true;
        },
      },
      stderr: {
        write: (s: string) => {
          stderr += s;
          return true;
        },
      },
      cwd: dir,
      signal: ctrl.signal,
    });
    await waitFor(/\[watch\] run 1 done/);
    expect(stderr).toMatch(/2 model\(s\),/);
    const before = readFileSync(join(dir, 'out', 't.md'), 'utf8');
    writeFileSync(spec, text.replace('inv ~ value + capital | firm,', 'inv ~ value | firm,'));
    await waitFor(/\[watch\] run 2 done/);
    ctrl.abort();
    expect(await finished).toBe(0);
    // Model b came from the cache; only a was estimated again.
    expect(stderr).toMatch(/2 model\(s\) \(1 from cache\)/);
    expect(readFileSync(join(dir, 'out', 't.md'), 'utf8')).not.toBe(before);
    expect(stdout).toMatch(/results:\n[\s\S]*a\s+capital\s+estimate: [-\d.]+ → —/);
    expect(stdout).toMatch(/a\s+value\s+estimate: /);
    expect(stdout).not.toMatch(/\bb\s+value/);
  });
});
