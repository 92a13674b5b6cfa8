/**
 * Handlebars templates: the built-in ones under `templates/` at the package root, and a table's own ones
 * (`TableSpec.template.latex` / `.markdown`, relative to the spec file). Each format has its own Handlebars
 * environment with its escaping helpers registered; templates are compiled with `noEscape` and memoized by path and
 * text, so a template is compiled once per run. The built-in ones come precompiled from the build when their text is
 * the one they were precompiled from (below).
 *
 * Helpers — LaTeX: `tex` (escape text), `texRow` (cells joined by &), `texRules` (\cmidrule list), `texComment`,
 * `texLabel`, `texCell`; Markdown: `md`, `mdRow`, `mdCell`, `mdLines`, `mdComment`. Both: `eq a b`, `add a b`.
 */
import { readFileLimited } from '../core/read-limited.js';
import { isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../version.js';
import { createRequire } from 'node:module';
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { sha256 } from '../core/hashing.js';
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
  /** True when the template came precompiled from the build (a built-in one), false when compiled here. */
  readonly precompiled: boolean;
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

// Handlebars is loaded when the first template is compiled, so commands that render nothing do not load it; the
// built-in templates, precompiled by the build, need only its runtime (`handlebars/runtime`, without the compiler).
type HandlebarsLib = typeof import('handlebars');
const environments = new Map<string, HandlebarsLib>();
const libraries = new Map<string, HandlebarsLib>();

function library(name: 'handlebars' | 'handlebars/runtime.js'): HandlebarsLib {
  let lib = libraries.get(name);
  if (!lib) {
    lib = createRequire(import.meta.url)(name) as HandlebarsLib;
    libraries.set(name, lib);
  }
  return lib;
}

/** A Handlebars environment with the format's helpers: of the full library, or of the runtime only. */
function environment(format: TemplateFormat, runtimeOnly = false): HandlebarsLib {
  const envKey = `${format}${runtimeOnly ? ' runtime' : ''}`;
  let env = environments.get(envKey);
  if (env) return env;
  env = library(runtimeOnly ? 'handlebars/runtime.js' : 'handlebars').create();
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
  environments.set(envKey, env);
  return env;
}

/**
 * The built-in templates precompiled by the build (scripts/precompile-templates.mjs →
 * dist/render/builtin-templates.cjs: Handlebars' `precompile` of each with the options below, and the SHA-256 of the
 * text it was made from). A template is taken from there only when the file read now has exactly that text, so an
 * edited built-in template is compiled afresh, never served stale; without the file everything is compiled.
 */
type Precompiled = Partial<Record<TemplateFormat, { sha256: string; spec: object }>>;
let precompiled: Precompiled | null | undefined;

/** Where the build writes the precompiled built-in templates. */
export function precompiledTemplatesPath(): string {
  return join(packageRoot(), 'dist', 'render', 'builtin-templates.cjs');
}

function precompiledSpec(format: TemplateFormat, path: string, source: string): object | null {
  if (path !== resolve(defaultTemplatePath(format))) return null;
  if (precompiled === undefined) {
    try {
      precompiled = createRequire(import.meta.url)(precompiledTemplatesPath()) as Precompiled;
    } catch {
      precompiled = null;
    }
  }
  const entry = precompiled?.[format];
  return entry && entry.sha256 === sha256(source) ? entry.spec : null;
}

/** Handlebars' options for every template, built-in (at build time) or a table's own (here). */
export const COMPILE_OPTIONS = { noEscape: true, strict: false } as const;

/** `precompiled: false` compiles the built-in templates too (a test compares both ways). */
let usePrecompiled = true;
export function usePrecompiledTemplates(on: boolean): void {
  usePrecompiled = on;
  compiledTemplates.clear();
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
  const spec = usePrecompiled ? precompiledSpec(format, path, source) : null;
  let compiled: HandlebarsTemplateDelegate;
  try {
    if (spec) compiled = environment(format, true).template(spec as Parameters<HandlebarsLib['template']>[0]);
    else {
      const env = environment(format);
      // Parse now: Handlebars' compile() is lazy and would report a syntax error only at the first render.
      env.parse(source);
      compiled = env.compile(source, COMPILE_OPTIONS);
    }
  } catch (e) {
    throw new SpecrunError('TEMPLATE_ERROR', { file: path, detail: detailOf(e) });
  }
  const template: TableTemplate = {
    format,
    file: path,
    precompiled: spec !== null,
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
