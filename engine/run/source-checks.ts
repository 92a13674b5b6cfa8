/**
 * Checks of a spec against the files it names, made before any data is read in full (part of the one check() in
 * pipeline.ts, so validate, run, data and diff all make them).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { diagnostic, SpecrunError, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.js';
import { builtinDatasets, resolveBuiltin } from '../data/builtin.js';
import { formatOf } from '../data/read/index.js';
import { isGlob } from '../data/glob.js';
import { loadTemplate } from '../render/templates.js';
import { notARegularFile } from '../core/read-limited.js';
import type { LoadedSpec } from '../load/load-spec.js';
import type { Plan } from '../normalize/plan.js';
import { readPdfFont } from '../figures/pdf-font.js';

/**
 * What `run` would find wrong with the data source and the templates before estimating anything, so that
 * `validate` is as strong as `run` (issue 13, defect 13): an unknown `builtin:`, a file that is missing, is not a
 * regular file or has an unsupported type, and a table template that does not compile.
 */
export function sourceAndTemplateDiagnostics(loaded: LoadedSpec, plan: Plan): Diagnostic[] {
  const out: Diagnostic[] = [];
  const d = plan.data;
  const at = loaded.locate(['data', 'source']);
  // A list or a glob is read (and its problems reported at their keys) by the data check.
  if (typeof d.source === 'string' && !isGlob(d.source)) out.push(...singleSourceDiagnostics(d.source, d.baseDir, at));
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

/** An unknown `builtin:`, or a file that is missing, not a regular file, or of an unsupported type. */
function singleSourceDiagnostics(source: string, baseDir: string, at: SourcePosition): Diagnostic[] {
  if (source.startsWith('builtin:')) {
    const name = source.slice('builtin:'.length);
    return resolveBuiltin(name)
      ? []
      : [diagnostic('DATA_UNKNOWN_BUILTIN', at, { name, known: Object.keys(builtinDatasets).join(', ') })];
  }
  const file = resolve(baseDir, source);
  try {
    const odd = notARegularFile(file);
    if (odd) return [diagnostic('DATA_NOT_FOUND', at, { file: source, reason: odd })];
    if (!existsSync(file)) return [diagnostic('DATA_NOT_FOUND', at, { file: source, reason: 'no such file' })];
    formatOf(file, source);
    return [];
  } catch (e) {
    if (e instanceof SpecrunError) return [diagnostic(e.code, at, e.args)];
    throw e;
  }
}

/** Each figure's `pdf_font:` that cannot be read or is not a font (engine/figures/pdf-font.ts), at its key. */
export async function figureFontDiagnostics(loaded: LoadedSpec, plan: Plan): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const f of plan.figures ?? []) {
    const written = f.spec.pdf_font;
    if (written === undefined) continue;
    const font = await readPdfFont(f.baseDir, written);
    if ('reason' in font)
      out.push(
        diagnostic('FIGURE_FONT', loaded.locate(['figures', f.id, 'pdf_font']), { file: written, reason: font.reason }),
      );
  }
  return out;
}
