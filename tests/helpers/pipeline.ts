/** Run spec files through the whole pipeline in-process (no git commit in provenance, so outputs are stable). */
import { check, runSpec, type SpecRun } from '../../engine/run/pipeline.js';
import { createRunContext, type RunContext } from '../../engine/run/context.js';
import { assembleOutputs, stem, type OutputFile } from '../../engine/run/outputs.js';
import type { Diagnostic } from '../../engine/diagnostics/diagnostic.js';
import type { DataStage } from '../../engine/data/build-data.js';
import { DEFAULT_FORMATS, type FormatName } from '../../engine/render/formats/registry.js';

/** The data stage of a run that built it (a run without a result cache always does). */
export function builtData(run: SpecRun): DataStage {
  if (!('frame' in run.data))
    throw new Error(`${run.checked.loaded.file}: the data stage was not built (all models cached)`);
  return run.data;
}

export async function runFiles(
  files: string[],
  cwd: string,
  opts: { lang?: string; outDir?: string; docName?: string; ctx?: RunContext; formats?: readonly FormatName[] } = {},
): Promise<{ runs: SpecRun[]; errors: Diagnostic[]; warnings: Diagnostic[]; files: OutputFile[] }> {
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
    if (r.run) {
      runs.push(r.run);
      warnings.push(...r.run.warnings);
    }
  }
  const out = await assembleOutputs(
    runs,
    opts.outDir ?? 'out',
    new Set(opts.formats ?? DEFAULT_FORMATS),
    opts.docName ?? stem(files[0]!),
  );
  errors.push(...out.diagnostics.filter((d) => d.severity === 'error'));
  warnings.push(...out.diagnostics.filter((d) => d.severity !== 'error'));
  return { runs, errors, warnings, files: out.files };
}
