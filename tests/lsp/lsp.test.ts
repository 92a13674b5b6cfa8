/**
 * The language server driven over stdio by a real LSP client (vscode-languageserver-protocol): `specrun lsp --stdio`
 * is started as a child process, as an editor starts it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  CompletionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Location,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const root = fileURLToPath(new URL('../..', import.meta.url));

let child: ChildProcess;
let conn: ProtocolConnection;
let dir: string;
const diagnostics = new Map<string, Diagnostic[]>();
const waiters: Array<() => void> = [];

/** Resolves once `uri` has diagnostics satisfying `ok` (the server publishes after each change). */
function diagnosticsFor(uri: string, ok: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(diagnostics.get(uri))}`)),
      20_000,
    );
    const check = (): void => {
      const d = diagnostics.get(uri);
      if (d && ok(d)) {
        clearTimeout(timer);
        done(d);
        return;
      }
      waiters.push(check);
    };
    check();
  });
}

function open(file: string, text: string): string {
  const uri = pathToFileURL(file).href;
  void conn.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'yaml', version: 1, text },
  });
  return uri;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'specrun-lsp-'));
  cpSync(join(root, 'data', 'grunfeld.csv'), join(dir, 'grunfeld.csv'));
  writeFileSync(
    join(dir, 'base.yaml'),
    ['data:', '  source: ./grunfeld.csv', '  unit: firm', '  time: year', 'variables:', '  lninv: log(inv)', ''].join(
      '\n',
    ),
  );
  child = spawn(process.execPath, [join(root, 'bin', 'specrun.mjs'), 'lsp', '--stdio'], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, p.diagnostics);
    for (const w of waiters.splice(0)) w();
  });
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: {},
    workspaceFolders: null,
  });
  expect(init.capabilities.hoverProvider).toBe(true);
  await conn.sendNotification(InitializedNotification.type, {});
}, 30_000);

afterAll(async () => {
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  conn.dispose();
  child.kill();
});

describe('specrun lsp', () => {
  it('publishes the validate diagnostics of an open spec with ranges, and updates them as the text changes', async () => {
    const file = join(dir, 'bad.yaml');
    const text = [
      'extends: ./base.yaml',
      'models:',
      '  m1:',
      '    formula: lninv ~ valeu + capital | firm',
      '    vcov: clustr(firm)',
      'tables:',
      '  t:',
      '    columns: [m1]',
      '',
    ].join('\n');
    writeFileSync(file, text);
    const uri = open(file, text);
    const ds = await diagnosticsFor(uri, (d) => d.length > 0);
    expect(ds.every((d) => d.source === 'specrun')).toBe(true);
    // One problem (the first stage that fails stops the check): the vcov value, at its line.
    const first = ds[0]!;
    expect(first.range.start.line).toBe(4);
    expect(first.range.end.character).toBeGreaterThan(first.range.start.character);
    // Fix the vcov: the unknown column `valeu` is reported next, at its character, with the nearest column as hint.
    const fixed = text.replace('clustr(firm)', 'cluster(firm)');
    void conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: fixed }],
    });
    const ds2 = await diagnosticsFor(uri, (d) => d.some((x) => String(x.code).includes('UNKNOWN')));
    const unknown = ds2.find((x) => String(x.code).includes('UNKNOWN'))!;
    expect(unknown.range.start).toEqual({ line: 3, character: fixed.split('\n')[3]!.indexOf('valeu') });
    expect(unknown.message).toMatch(/value/);
    // And a correct text clears them.
    const ok = fixed.replace('valeu', 'value');
    void conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: ok }],
    });
    await diagnosticsFor(uri, (d) => d.length === 0);
  });

  it('completes data columns and derived variables in a formula, and keys and enum values elsewhere', async () => {
    const file = join(dir, 'complete.yaml');
    const text = [
      'extends: ./base.yaml',
      'models:',
      '  m1:',
      '    formula: lninv ~ ',
      '    ',
      'tables:',
      '  t:',
      '    columns: [m1]',
      '',
    ].join('\n');
    writeFileSync(file, text);
    const uri = open(file, text);
    await diagnosticsFor(uri, () => true);
    const labels = async (line: number, character: number) =>
      (
        (await conn.sendRequest(CompletionRequest.type, {
          textDocument: { uri },
          position: { line, character },
        })) as CompletionItem[]
      ).map((i) => i.label);
    const inFormula = await labels(3, '    formula: lninv ~ '.length);
    expect(inFormula).toEqual(expect.arrayContaining(['value', 'capital', 'inv', 'firm', 'year', 'lninv', 'lag']));
    const keys = await labels(4, 4);
    expect(keys).toEqual(expect.arrayContaining(['vcov', 'sample', 'estimator']));
    const columns = await labels(7, '    columns: ['.length);
    expect(columns).toContain('m1');
  });

  it('hovers a key with its reference documentation', async () => {
    const file = join(dir, 'hover.yaml');
    const text = [
      'extends: ./base.yaml',
      'models:',
      '  m1:',
      '    formula: lninv ~ value | firm',
      '    vcov: cluster(firm)',
      '',
    ].join('\n');
    writeFileSync(file, text);
    const uri = open(file, text);
    await diagnosticsFor(uri, () => true);
    const h = (await conn.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 4, character: 6 },
    })) as Hover;
    const value = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    expect(value).toMatch(/vcov/);
    const reference = readFileSync(join(root, 'docs', 'spec-reference.md'), 'utf8');
    // The hover text is the one the generated reference prints for the key (its default at least).
    expect(reference).toMatch(/iid/);
    expect(value).toMatch(/iid/);
  });

  it('goes from a name in a formula to its definition in a base spec of the extends chain', async () => {
    const file = join(dir, 'goto.yaml');
    const text = ['extends: ./base.yaml', 'models:', '  m1:', '    formula: lninv ~ value | firm', ''].join('\n');
    writeFileSync(file, text);
    const uri = open(file, text);
    await diagnosticsFor(uri, () => true);
    const loc = (await conn.sendRequest(DefinitionRequest.type, {
      textDocument: { uri },
      position: { line: 3, character: '    formula: ln'.length },
    })) as Location;
    expect(loc.uri).toBe(pathToFileURL(join(dir, 'base.yaml')).href);
    expect(loc.range.start).toEqual({ line: 5, character: 2 });
  });
});
