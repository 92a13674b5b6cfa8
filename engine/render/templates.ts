/**
 * Handlebars templates: the built-in ones under `templates/` at the package root, and a table's own ones
 * (`TableSpec.template.latex` / `.markdown`, relative to the spec file). Each format has its own Handlebars
 * environment with its escaping helpers registered; templates are compiled with `noEscape` and cached by path and
 * modification time, so a template is read and compiled once per run.
 *
 * Helpers — LaTeX: `tex` (escape text), `texRow` (cells joined by &), `texRules` (\cmidrule list), `texComment`,
 * `texLabel`, `texCell`; Markdown: `md`, `mdRow`, `mdCell`, `mdLines`, `mdComment`. Both: `eq a b`, `add a b`.
 */
import { readFileLimited } from '../core/read-limited.js';
import { isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../version.js';
import { createRequire } from 'node:module';
import { SpecrunError } from '../diagnostics/diagnostic.js';
import type { TablePlan } from '../normalize/plan.js';
import {
  latexCell,
  latexComment,
  latexEscape,
  latexLabel,
  latexRow,
  latexRules,
  markdownCell,
  markdownComment,
  markdownEscape,
  markdownLines,
  markdownRow,
} from './escape.js';

export type TemplateFormat = 'latex' | 'markdown';

/** A compiled template: `render` fills it with a view and throws TEMPLATE_ERROR when the template fails. */
export interface TableTemplate {
  readonly format: TemplateFormat;
  /** Absolute path of the template file. */
  readonly file: string;
  render(view: object): string;
}

const DEFAULT_FILES: Record<TemplateFormat, string> = {
  latex: 'templates/latex/table.tex.hbs',
  markdown: 'templates/markdown/table.md.hbs',
};

export { packageRoot };

/** Absolute path of a built-in template. */
export function defaultTemplatePath(format: TemplateFormat): string {
  return join(packageRoot(), DEFAULT_FILES[format]);
}

// Handlebars is loaded when the first template is compiled, so commands that render nothing do not load it.
type HandlebarsLib = typeof import('handlebars');
const environments = new Map<TemplateFormat, HandlebarsLib>();
let handlebars: HandlebarsLib | null = null;

function environment(format: TemplateFormat): HandlebarsLib {
  let env = environments.get(format);
  if (env) return env;
  handlebars ??= createRequire(import.meta.url)('handlebars') as HandlebarsLib;
  env = handlebars.create();
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  env.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
  if (format === 'latex') {
    env.registerHelper('tex', (t: unknown) => latexEscape(t));
    env.registerHelper('texCell', latexCell);
    env.registerHelper('texRow', latexRow);
    env.registerHelper('texRules', latexRules);
    env.registerHelper('texComment', (t: unknown) => latexComment(t));
    env.registerHelper('texLabel', (t: unknown) => latexLabel(t));
  } else {
    env.registerHelper('md', (t: unknown) => markdownEscape(t));
    env.registerHelper('mdCell', markdownCell);
    env.registerHelper('mdRow', markdownRow);
    env.registerHelper('mdLines', markdownLines);
    env.registerHelper('mdComment', (t: unknown) => markdownComment(t));
  }
  environments.set(format, env);
  return env;
}

/**
 * Compiled templates, memoized by what they are compiled from: the format, the path (named in errors) and the file's
 * bytes. The file is read on every call, so an edited template is always compiled afresh (no mtime heuristics) and a
 * run depends only on the files as they are; the memo only spares compiling the same text twice.
 */
const compiledTemplates = new Map<string, TableTemplate>();

/**
 * Read and compile a template (the built-in one when `file` is omitted). Throws SpecrunError UNKNOWN_TEMPLATE when
 * the file cannot be read and TEMPLATE_ERROR when it does not parse.
 */
export function loadTemplate(format: TemplateFormat, file?: string): TableTemplate {
  const path = resolve(file ?? defaultTemplatePath(format));
  let source: string;
  try {
    source = readFileLimited(path, 'spec').toString('utf8');
  } catch (e) {
    throw new SpecrunError('UNKNOWN_TEMPLATE', { file: path, reason: reasonOf(e) });
  }
  const key = `${format}\u0000${path}\u0000${source}`;
  const hit = compiledTemplates.get(key);
  if (hit) return hit;
  const env = environment(format);
  let compiled: HandlebarsTemplateDelegate;
  try {
    // Parse now: Handlebars' compile() is lazy and would report a syntax error only at the first render.
    env.parse(source);
    compiled = env.compile(source, { noEscape: true, strict: false });
  } catch (e) {
    throw new SpecrunError('TEMPLATE_ERROR', { file: path, detail: detailOf(e) });
  }
  const template: TableTemplate = {
    format,
    file: path,
    render(view: object): string {
      try {
        return compiled(view);
      } catch (e) {
        throw new SpecrunError('TEMPLATE_ERROR', { file: path, detail: detailOf(e) });
      }
    },
  };
  compiledTemplates.set(key, template);
  return template;
}

/** The template a table uses for a format: its own (`template.latex` / `.markdown`, relative to the spec) or the default. */
export function tableTemplate(table: TablePlan, format: TemplateFormat): TableTemplate {
  const own = table.spec.template?.[format];
  if (own === undefined) return loadTemplate(format);
  return loadTemplate(format, isAbsolute(own) ? own : join(table.baseDir, own));
}

function reasonOf(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** The first line of a Handlebars error (its message carries a multi-line excerpt). */
function detailOf(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 2)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
