/**
 * `specrun lsp --stdio`: the Language Server Protocol for spec files, on vscode-languageserver.
 *
 * - Diagnostics: every problem `specrun validate` reports (YAML, schema, normalization, the spec's rules, names checked
 *   against the data header), computed from the editor's unsaved text, published to the file each one points at
 *   (a base spec of the `extends` chain included).
 * - Hover: a key's documentation (the doc comments the schema and docs/spec-reference.md are generated from); over a
 *   name in a value, what it is (a data column, a derived variable and its definition, a sample, a model).
 * - Completion: keys the mapping may hold; in formulas and expressions the data columns and derived variables; sample
 *   ids for `sample:`; model ids in table columns; the allowed values of an enum.
 * - Go to definition: from a name in a value to where the spec (or a base of its `extends` chain) defines it.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  MarkupKind,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CompletionItem,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type Location,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../load/load-spec.js';
import type { Plan } from '../normalize/plan.js';
import { check } from '../run/pipeline.js';
import { createRunContext, type RunContext } from '../run/context.js';
import { dataHeaderNames } from '../data/header.js';
import { diskReader } from '../load/file-reader.js';
import { loadSpec } from '../load/load-spec.js';
import { isPlainObject } from '../load/merge.js';
import type { DataSpec } from '../spec/types.js';
import { normalizedDataSpec } from '../normalize/data-defaults.js';
import { describeAt, enumAt, keysAt } from './schema-walk.js';
import { cursorContext } from './yaml-context.js';

/** What the last check of a document knew: the loaded spec (positions, layers), its plan and the data's columns. */
interface Analysis {
  readonly loaded: LoadedSpec | null;
  readonly plan: Plan | null;
  readonly columns: readonly string[];
}

/** Keys whose values are expressions or formulas over the data's columns and the derived variables. */
const EXPRESSION_KEYS = new Set([
  'formula',
  'expr',
  'where',
  'treatment',
  'mediator',
  'outcome',
  'controls',
  'keep',
  'drop',
]);
const FUNCTIONS = [
  'log',
  'ln',
  'log10',
  'exp',
  'sqrt',
  'abs',
  'round',
  'min',
  'max',
  'if',
  'is_na',
  'lag',
  'lead',
  'diff',
  'group_mean',
  'group_sum',
  'group_min',
  'group_max',
  'group_count',
  'group_rank',
];

export function startLanguageServer(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  cwd: string,
): Promise<void> {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const server = new SpecServer(connection, cwd);
  server.listen();
  return new Promise((done) => connection.onExit(() => done()));
}

class SpecServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly analyses = new Map<string, Analysis>();
  /** Registries and the schema check (a check reads no data, so nothing accumulates in it). */
  private readonly ctx: RunContext = createRunContext();
  /** Files each document's last check published diagnostics to (so that they are cleared when fixed). */
  private readonly published = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly connection: Connection,
    private readonly cwd: string,
  ) {}

  listen(): void {
    const c = this.connection;
    c.onInitialize(() => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: [' ', ':', '(', '+', '[', ',', '|', '~'] },
      },
      serverInfo: { name: 'specrun' },
    }));
    this.documents.onDidOpen((e) => void this.check(e.document.uri));
    this.documents.onDidChangeContent((e) => this.schedule(e.document.uri));
    this.documents.onDidClose((e) => this.clear(e.document.uri));
    c.onHover((p) => this.hover(p.textDocument.uri, p.position.line, p.position.character));
    c.onCompletion((p) => this.complete(p.textDocument.uri, p.position.line, p.position.character));
    c.onDefinition((p) => this.definition(p.textDocument.uri, p.position.line, p.position.character));
    this.documents.listen(c);
    c.listen();
  }

  private schedule(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.check(uri);
      }, 150),
    );
  }

  /** The editor's text for open documents, the disk's for the others (bases of an `extends` chain). */
  private readText = (abs: string): string => {
    const doc = this.documents.get(pathToFileURL(abs).href);
    return doc ? doc.getText() : readFileSync(abs, 'utf8');
  };

  async check(uri: string): Promise<void> {
    if (!uri.startsWith('file:')) return;
    const file = fileURLToPath(uri);
    const diagnostics: Diagnostic[] = [];
    let analysis: Analysis = { loaded: null, plan: null, columns: [] };
    try {
      const r = await check(file, this.cwd, this.ctx, { reader: { ...diskReader, readText: this.readText } });
      diagnostics.push(...r.diagnostics);
      if (r.normalized) {
        analysis = { loaded: r.normalized.loaded, plan: r.normalized.plan, columns: r.columns ?? [] };
      } else {
        // The spec does not check (yet): what it names can still be completed from the YAML as far as it loads.
        const { spec: loaded } = loadSpec(file, this.cwd, this.readText);
        const data = loaded?.value['data'];
        if (loaded && isPlainObject(data) && typeof data['source'] === 'string') {
          const columns = await dataHeaderNames(
            normalizedDataSpec(data as unknown as DataSpec, loaded.baseDirOf(['data', 'source'])),
          );
          analysis = { loaded, plan: null, columns: columns ?? [] };
        } else if (loaded) analysis = { loaded, plan: null, columns: [] };
      }
    } catch (e) {
      diagnostics.push({
        code: 'CLI_USAGE',
        severity: 'error',
        file,
        path: '',
        line: 1,
        col: 1,
        message: `specrun could not check this file: ${(e as Error).message}`,
        hint: '',
      });
    }
    // Keep what the previous check knew of names when this text does not load (a half-typed line).
    if (!analysis.loaded && this.analyses.has(uri)) analysis = this.analyses.get(uri)!;
    this.analyses.set(uri, analysis);
    this.publish(uri, diagnostics);
  }

  private publish(uri: string, diagnostics: readonly Diagnostic[]): void {
    const byUri = new Map<string, LspDiagnostic[]>();
    byUri.set(uri, []);
    for (const d of diagnostics) {
      const target = pathToFileURL(resolve(this.cwd, d.file)).href;
      const list = byUri.get(target) ?? [];
      list.push(this.toLsp(target, d));
      byUri.set(target, list);
    }
    const before = this.published.get(uri) ?? new Set<string>();
    for (const old of before) if (!byUri.has(old)) byUri.set(old, []);
    for (const [target, list] of byUri) void this.connection.sendDiagnostics({ uri: target, diagnostics: list });
    this.published.set(uri, new Set([...byUri.keys()].filter((k) => (byUri.get(k) ?? []).length > 0 || k === uri)));
  }

  private toLsp(uri: string, d: Diagnostic): LspDiagnostic {
    const line = Math.max(0, d.line - 1);
    const start = Math.max(0, d.col - 1);
    const text = this.lineOf(uri, line);
    // The range covers the token the position points at (a key, a name, a value), or the rest of the line.
    let end = start;
    while (end < text.length && !/[\s,:\]}]/.test(text[end]!)) end++;
    if (end === start) end = Math.max(start + 1, text.length);
    return {
      range: { start: { line, character: start }, end: { line, character: end } },
      severity:
        d.severity === 'error'
          ? DiagnosticSeverity.Error
          : d.severity === 'warning'
            ? DiagnosticSeverity.Warning
            : DiagnosticSeverity.Information,
      code: d.code,
      source: 'specrun',
      message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
    };
  }

  private lineOf(uri: string, line: number): string {
    const doc = this.documents.get(uri);
    let text: string;
    try {
      text = doc ? doc.getText() : readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return '';
    }
    return text.split(/\r?\n/)[line] ?? '';
  }

  private context(uri: string, line: number, character: number) {
    const doc = this.documents.get(uri);
    if (!doc) return null;
    const analysis = this.analyses.get(uri) ?? { loaded: null, plan: null, columns: [] };
    const ctx = cursorContext(doc.getText(), line, character);
    const value = analysis.loaded?.value as Record<string, unknown> | undefined;
    const estimatorAt = (prefix: readonly (string | number)[]) => {
      if (prefix.length !== 2 || prefix[0] !== 'models') return undefined;
      const models = value?.['models'] as Record<string, Record<string, unknown>> | undefined;
      const m = models && Object.hasOwn(models, prefix[1]!) ? models[prefix[1] as string] : undefined;
      return typeof m?.['estimator'] === 'string' ? m['estimator'] : prefix[0] === 'models' ? 'ols' : undefined;
    };
    return { ctx, analysis, value, hints: { estimatorAt } };
  }

  private names(value: Record<string, unknown> | undefined, section: string): string[] {
    const s = value?.[section];
    return s && typeof s === 'object' ? Object.keys(s) : [];
  }

  hover(uri: string, line: number, character: number) {
    const c = this.context(uri, line, character);
    if (!c) return null;
    const { ctx, analysis, value, hints } = c;
    let text: string | null = null;
    if (ctx.kind === 'key') text = describeAt(ctx.path, hints);
    else if (ctx.word) text = this.describeName(ctx.word, analysis, value);
    if (!text) return null;
    return {
      contents: {
        kind: MarkupKind.Markdown,
        value: ctx.kind === 'key' ? `**${String(ctx.path[ctx.path.length - 1])}**\n\n${text}` : text,
      },
      range: { start: { line, character: ctx.wordStart }, end: { line, character: ctx.wordEnd } },
    };
  }

  private describeName(word: string, analysis: Analysis, value: Record<string, unknown> | undefined): string | null {
    const variables = value?.['variables'] as Record<string, unknown> | undefined;
    if (variables && Object.hasOwn(variables, word)) {
      const v = variables[word];
      return `**${word}** — derived variable: \`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
    }
    if (this.names(value, 'samples').includes(word))
      return `**${word}** — sample: \`${String((value!['samples'] as Record<string, unknown>)[word])}\``;
    if (this.names(value, 'models').includes(word)) return `**${word}** — model`;
    if (analysis.columns.includes(word)) return `**${word}** — column of the data source`;
    return null;
  }

  complete(uri: string, line: number, character: number): CompletionItem[] {
    const c = this.context(uri, line, character);
    if (!c) return [];
    const { ctx, analysis, value, hints } = c;
    if (ctx.kind === 'key') {
      const mapping = ctx.path.slice(0, -1);
      return keysAt(mapping, hints).map((k) => ({
        label: k.name,
        kind: CompletionItemKind.Property,
        documentation: k.description ? { kind: MarkupKind.Markdown, value: k.description } : undefined,
        insertText: `${k.name}: `,
      }));
    }
    const key = [...ctx.path].reverse().find((p): p is string => typeof p === 'string') ?? '';
    const top = ctx.path[0];
    const items: CompletionItem[] = [];
    const add = (labels: Iterable<string>, kind: CompletionItemKind, detail: string) => {
      for (const label of labels) items.push({ label, kind, detail });
    };
    const enums = enumAt(ctx.path, hints);
    if (enums.length > 0) add(enums, CompletionItemKind.EnumMember, 'value');
    if (key === 'sample') add(this.names(value, 'samples'), CompletionItemKind.Reference, 'sample');
    else if (top === 'tables' && (key === 'columns' || key === 'model' || ctx.path.includes('columns')))
      add(this.names(value, 'models'), CompletionItemKind.Reference, 'model');
    else if (EXPRESSION_KEYS.has(key) || top === 'variables' || top === 'samples' || key === 'vcov') {
      add(analysis.columns, CompletionItemKind.Field, 'data column');
      add(this.names(value, 'variables'), CompletionItemKind.Variable, 'derived variable');
      if (key !== 'vcov') add(FUNCTIONS, CompletionItemKind.Function, 'function');
    }
    const seen = new Set<string>();
    return items.filter((i) => {
      if (seen.has(i.label)) return false;
      seen.add(i.label);
      return true;
    });
  }

  definition(uri: string, line: number, character: number): Location | null {
    const c = this.context(uri, line, character);
    if (!c?.analysis.loaded || !c.ctx.word) return null;
    const { ctx, analysis, value } = c;
    const loaded = analysis.loaded!;
    const key = [...ctx.path].reverse().find((p): p is string => typeof p === 'string') ?? '';
    const sections =
      key === 'sample'
        ? ['samples']
        : ctx.path[0] === 'tables'
          ? ['models', 'variables']
          : ['variables', 'samples', 'models'];
    for (const section of sections) {
      if (!this.names(value, section).includes(ctx.word)) continue;
      const at = loaded.locateKey([section, ctx.word]);
      if (at.line === 0) continue;
      const target = pathToFileURL(resolve(this.cwd, at.file)).href;
      const start = { line: at.line - 1, character: Math.max(0, at.col - 1) };
      return { uri: target, range: { start, end: { line: start.line, character: start.character + ctx.word.length } } };
    }
    return null;
  }

  private clear(uri: string): void {
    for (const target of this.published.get(uri) ?? [])
      void this.connection.sendDiagnostics({ uri: target, diagnostics: [] });
    this.published.delete(uri);
    this.analyses.delete(uri);
  }
}
