/** Run spec files through the whole pipeline in-process (no git commit in provenance, so outputs are stable). */
import { check, runSpec, type SpecRun } from '../../engine/run/pipeline.js';
import { createRunContext, type RunContext } from '../../engine/run/context.js';
import { assembleOutputs, stem, type OutputFile } from '../../engine/run/outputs.js';
import type { Diagnostic } from '../../engine/diagnostics/diagnostic.js';
import type { DataStage } from '../../engine/data/build-data.js';

/** The data stage of a run that built it (a run without a result cache always does). */
export function builtData(run: SpecRun): DataStage {
  if (!('frame' in run.data)) throw new Error(`${run.checked.loaded.file}: the data stage was not built (all models cached)`);
  return run.data;
}

export async function runFiles(files: string[], cwd: string, opts: { lang?: string; outDir?: string; docName?: string; ctx?: RunContext } = {}):
  Promise<{ runs: SpecRun[]; errors: Diagnostic[]; warnings: Diagnostic[]; files: OutputFile[] }> {
  const runs: SpecRun[] = [];
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const ctx = opts.ctx ?? createRunContext();
  for (const f of files) {
    const c = await check(f, cwd, ctx, { lang: opts.lang });
    errors.push(...c.diagnostics.filter((d) => d.severity === 'error'));
    warnings.push(...c.diagnostics.filter((d) => d.severity === 'warning'));
    if (!c.spec) continue;
    const r = await runSpec(c.spec, files.length > 1 ? stem(f) : '', null, ctx);
    errors.push(...r.diagnostics.filter((d) => d.severity === 'error'));
    if (r.run) { runs.push(r.run); warnings.push(...r.run.warnings); }
  }
  const out = assembleOutputs(runs, opts.outDir ?? 'out', new Set(['tex', 'md', 'json']), opts.docName ?? stem(files[0]!));
  errors.push(...out.diagnostics);
  return { runs, errors, warnings, files: out.files };
}
