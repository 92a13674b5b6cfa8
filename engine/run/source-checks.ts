/**
 * Checks of a spec against the files it names, made before any data is read in full (part of the one check() in
 * pipeline.ts, so validate, run, data and diff all make them).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { diagnostic, SpecrunError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { builtinDatasets, resolveBuiltin } from '../data/builtin.js';
import { formatOf } from '../data/read/index.js';
import { isGlob } from '../data/glob.js';
import { loadTemplate } from '../render/templates.js';
import { notARegularFile } from '../core/read-limited.js';
import type { LoadedSpec } from '../load/load-spec.js';
import type { Plan } from '../normalize/plan.js';

/**
 * What `run` would find wrong with the data source and the templates before estimating anything, so that
 * `validate` is as strong as `run` (issue 13, defect 13): an unknown `builtin:`, a file that is missing, is not a
 * regular file or has an unsupported type, and a table template that does not compile.
 */
export function sourceAndTemplateDiagnostics(loaded: LoadedSpec, plan: Plan): Diagnostic[] {
  const out: Diagnostic[] = [];
  const d = plan.data;
  const at = loaded.locate(['data', 'source']);
  // A list, a glob or a yearbook layout is read (and its problems reported at their keys) by the data check.
  if (typeof d.source !== 'string' || isGlob(d.source)) {
    // nothing here
  } else if (d.source.startsWith('builtin:')) {
    const name = d.source.slice('builtin:'.length);
    if (!resolveBuiltin(name))
      out.push(diagnostic('DATA_UNKNOWN_BUILTIN', at, { name, known: Object.keys(builtinDatasets).join(', ') }));
  } else {
    const file = resolve(d.baseDir, d.source);
    try {
      const odd = notARegularFile(file);
      if (odd) out.push(diagnostic('DATA_NOT_FOUND', at, { file: d.source, reason: odd }));
      else if (!existsSync(file))
        out.push(diagnostic('DATA_NOT_FOUND', at, { file: d.source, reason: 'no such file' }));
      else formatOf(file, d.source);
    } catch (e) {
      if (e instanceof SpecrunError) out.push(diagnostic(e.code, at, e.args));
      else throw e;
    }
  }
  for (const t of plan.tables) {
    for (const [fmt, key] of [
      ['latex', 'latex'],
      ['markdown', 'markdown'],
    ] as const) {
      const tpl = t.spec.template?.[key];
      if (typeof tpl !== 'string') continue;
      try {
        loadTemplate(fmt, resolve(t.baseDir, tpl));
      } catch (e) {
        if (e instanceof SpecrunError)
          out.push(diagnostic(e.code, loaded.locate(['tables', t.id, 'template', key]), e.args));
        else throw e;
      }
    }
  }
  return out;
}
