// src/extension.js activated in a stand-in for the `vscode` API: with opsplan missing, or
// without the `lsp` command, it shows one error message, registers its command and
// starts no language client; with an opsplan that has it, the client runs `opsplan lsp` over stdio (highlighting is the grammar's and needs no code).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const Module = require('module');

function fakeVscode(settings) {
  const shown = [];
  const commands = [];
  const vscode = {
    shown,
    commands: {
      registerCommand: (name) => { commands.push(name); return { dispose() {} }; },
      executeCommand: async () => undefined,
    },
    registered: commands,
    window: {
      createOutputChannel: () => ({ appendLine() {}, show() {}, dispose() {} }),
      showErrorMessage: async (message) => { shown.push(message); return undefined; },
    },
    providers: [],
    languages: {
      registerCodeActionsProvider: (selector, provider) => {
        const entry = { selector, provider, disposed: false };
        vscode.providers.push(entry);
        return { dispose() { entry.disposed = true; } };
      },
    },
    workspace: {
      getConfiguration: () => ({ get: (key) => settings[key] }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
    },
  };
  return vscode;
}

/// vscode-languageclient needs the real editor to load: a stand-in records the clients.
function fakeClientModule(vscode) {
  vscode.clients = [];
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
      vscode.clients.push(this);
    }
    async start() { this.started = true; }
    async stop() { this.stopped = true; }
    async sendRequest(method, params) {
      this.sent = { method, params };
      return [{ title: 'add a justification', kind: 'quickfix' }];
    }
    get code2ProtocolConverter() {
      return {
        asTextDocumentIdentifier: (d) => ({ uri: d.uri.toString() }),
        asRange: (r) => ({ start: r.start, end: r.end }),
        asCodeActionContext: async (c) => ({ diagnostics: c.diagnostics }),
      };
    }
    get protocol2CodeConverter() {
      return { asCodeActionResult: async (items) => items.map((i) => ({ converted: i.title })) };
    }
  }
  return { LanguageClient, TransportKind: { stdio: 0 } };
}

/// Loads src/extension.js afresh with `vscode` resolved to the stand-in.
function loadExtension(vscode) {
  const original = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (request === 'vscode') return vscode;
    if (request === 'vscode-languageclient/node') return fakeClientModule(vscode);
    return original.call(this, request, parent, isMain);
  };
  try {
    const file = require.resolve('../src/extension.js');
    delete require.cache[file];
    return require(file);
  } finally {
    Module._load = original;
  }
}

async function activateWith(binary) {
  const vscode = fakeVscode({ path: binary });
  const extension = loadExtension(vscode);
  const context = { subscriptions: [] };
  await extension.activate(context);
  await extension.deactivate();
  return { vscode, context };
}

test('a missing opsplan gives one error message and no client', async () => {
  const { vscode, context } = await activateWith(path.join(os.tmpdir(), 'no-such-opsplan-binary'));
  assert.strictEqual(vscode.shown.length, 1, vscode.shown.join('\n'));
  assert.match(vscode.shown[0], /was not found/);
  assert.strictEqual(vscode.clients.length, 0);
  assert.deepStrictEqual(vscode.registered, ['opsplan.restartServer']);
  assert.ok(context.subscriptions.length >= 3);
});

test('an opsplan without `lsp` gives one error message and no client', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsplan-ext-'));
  const old = path.join(dir, 'opsplan');
  fs.writeFileSync(old, "#!/bin/sh\necho \"error: unrecognized subcommand 'lsp'\" >&2\nexit 2\n", { mode: 0o755 });
  const { vscode } = await activateWith(old);
  assert.strictEqual(vscode.shown.length, 1, vscode.shown.join('\n'));
  assert.match(vscode.shown[0], /no "lsp" command yet/);
  assert.strictEqual(vscode.clients.length, 0);
});

test('an opsplan with `lsp` is started as `opsplan lsp` over stdio, id opsplan', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsplan-ext-'));
  const fresh = path.join(dir, 'opsplan');
  fs.writeFileSync(fresh, '#!/bin/sh\n[ "$1" = lsp ] && exit 0\nexit 2\n', { mode: 0o755 });
  const { vscode } = await activateWith(fresh);
  assert.deepStrictEqual(vscode.shown, []);
  assert.strictEqual(vscode.clients.length, 1);
  const client = vscode.clients[0];
  // The id makes the client read the `opsplan.trace.server` setting.
  assert.strictEqual(client.id, 'opsplan');
  assert.deepStrictEqual(client.serverOptions.run, { command: fresh, args: ['lsp'], transport: 0 });
  assert.deepStrictEqual(client.clientOptions.documentSelector.map((s) => s.language), ['opsplan', 'opsplan']);
  assert.ok(client.started && client.stopped);
});

test('quick fixes are asked of the server for the exports and YAML files, not only opsplan documents', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsplan-ext-'));
  const fresh = path.join(dir, 'opsplan');
  fs.writeFileSync(fresh, '#!/bin/sh\n[ "$1" = lsp ] && exit 0\nexit 2\n', { mode: 0o755 });
  const vscode = fakeVscode({ path: fresh });
  const extension = loadExtension(vscode);
  await extension.activate({ subscriptions: [] });
  assert.strictEqual(vscode.providers.length, 1);
  const [{ selector, provider }] = vscode.providers;
  assert.deepStrictEqual(selector, { scheme: 'file', pattern: '**/*.{yaml,yml,csv,tsv,reqif}' });
  const document = { uri: { toString: () => 'file:///m/requirements.csv' } };
  const range = { start: { line: 3, character: 0 }, end: { line: 3, character: 5 } };
  const actions = await provider.provideCodeActions(document, range, { diagnostics: ['Q007'] }, undefined);
  assert.deepStrictEqual(actions, [{ converted: 'add a justification' }]);
  const client = vscode.clients[0];
  assert.strictEqual(client.sent.method, 'textDocument/codeAction');
  assert.deepStrictEqual(client.sent.params, {
    textDocument: { uri: 'file:///m/requirements.csv' },
    range,
    context: { diagnostics: ['Q007'] },
  });
  await extension.deactivate();
  assert.ok(vscode.providers[0].disposed, 'the provider goes with the client');
  assert.deepStrictEqual(await provider.provideCodeActions(document, range, { diagnostics: [] }, undefined), []);
});
