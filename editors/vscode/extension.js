// A minimal VS Code client for `specrun lsp --stdio`: it starts the server for the YAML files matched by
// `specrun.files` and stops it with the editor. Everything else (diagnostics, hover, completion, definitions) is the
// server's. Install: see README.md beside this file.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('specrun');
  const [command, ...args] = config.get('command', ['specrun']);
  const files = config.get('files', '**/specs/**/*.{yaml,yml}');
  const server = { command, args: [...args, 'lsp', '--stdio'], transport: TransportKind.stdio };
  client = new LanguageClient('specrun', 'specrun', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'yaml', pattern: files }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
