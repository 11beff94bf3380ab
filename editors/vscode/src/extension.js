// The opsplan extension: highlighting comes from the TextMate grammar of package.json
// (no code needed); this file starts the language server, `opsplan lsp` over stdio, with
// vscode-languageclient. When the binary is missing, or is an opsplan without the `lsp`
// command, it says so once and leaves the rest of the extension working.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { probe } = require('./probe');

const ID = 'opsplan';
let client = null;
let output = null;

function serverPath() {
  const configured = vscode.workspace.getConfiguration(ID).get('path');
  return typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : 'opsplan';
}

async function report(message) {
  output.appendLine(message);
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'opsplan.path');
  } else if (choice === 'Show Output') {
    output.show(true);
  }
}

async function start() {
  const command = serverPath();
  const found = probe(command);
  if (!found.ok) {
    // One message, no restart loop: the grammar keeps highlighting the files.
    await report(found.message);
    return;
  }
  const run = { command, args: ['lsp'], transport: TransportKind.stdio };
  const serverOptions = { run, debug: run };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'opsplan' },
      { scheme: 'untitled', language: 'opsplan' },
    ],
    outputChannel: output,
    // `opsplan.trace.server` is read by the client itself (the setting `<id>.trace.server`).
    initializationFailedHandler: (error) => {
      void report(`The opsplan language server did not start: ${error && error.message ? error.message : error}`);
      return false;
    },
  };
  client = new LanguageClient(ID, 'opsplan', serverOptions, clientOptions);
  try {
    await client.start();
    registerExportActions(client);
  } catch (error) {
    client = null;
    await report(`The opsplan language server ("${command} lsp") did not start: ${error && error.message ? error.message : error}`);
  }
}

// Some findings sit in files that are not opsplan documents: an uncovered requirement
// (Q007) at its row of the requirement export, a flight rule in its YAML. The server
// answers code actions for every file its last check read; the client only asks for
// the documents of its selector, so the quick fixes of those files ("add a justification
// to opsplan.yaml") are asked for here. The files are never sent to the server as
// documents: it reads them from disk.
const EXPORT_FILES = { scheme: 'file', pattern: '**/*.{yaml,yml,csv,tsv,reqif}' };
let exportActions = null;

function registerExportActions(running) {
  if (exportActions !== null) exportActions.dispose();
  exportActions = vscode.languages.registerCodeActionsProvider(EXPORT_FILES, {
    async provideCodeActions(document, range, context, token) {
      if (client !== running) return [];
      const c2p = running.code2ProtocolConverter;
      const params = {
        textDocument: c2p.asTextDocumentIdentifier(document),
        range: c2p.asRange(range),
        context: await c2p.asCodeActionContext(context, token),
      };
      try {
        const result = await running.sendRequest('textDocument/codeAction', params, token);
        return (await running.protocol2CodeConverter.asCodeActionResult(result || [], token)) || [];
      } catch {
        // Not a file of a checked project: nothing to offer.
        return [];
      }
    },
  });
}

async function stop() {
  if (exportActions !== null) {
    exportActions.dispose();
    exportActions = null;
  }
  if (client === null) return;
  const running = client;
  client = null;
  try {
    await running.stop();
  } catch (error) {
    output.appendLine(`stopping the language server: ${error && error.message ? error.message : error}`);
  }
}

async function restart() {
  await stop();
  await start();
}

async function activate(context) {
  output = vscode.window.createOutputChannel('opsplan');
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.commands.registerCommand('opsplan.restartServer', restart));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('opsplan.path')) void restart();
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
