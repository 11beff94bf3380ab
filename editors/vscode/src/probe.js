// Whether the configured opsplan binary can serve the language server, asked before the
// client starts it, so that one clear message replaces a language client's restart loop.
// Plain Node (no `vscode` import): tested by tests/probe.test.js.
'use strict';
const { spawnSync } = require('child_process');

/// How long `opsplan lsp --help` may take before the binary is taken as not answering.
const TIMEOUT_MS = 10000;

/// Runs `<command> lsp --help` and tells what it says:
///   { ok: true }                                   the `lsp` command exists;
///   { ok: false, reason: 'missing', message }      no such binary (ENOENT, EACCES);
///   { ok: false, reason: 'no-lsp', message }       opsplan, but without an `lsp` command yet;
///   { ok: false, reason: 'failed', message }       anything else (a timeout, a crash).
function probe(command, options = {}) {
  const run = spawnSync(command, ['lsp', '--help'], {
    encoding: 'utf8',
    timeout: options.timeoutMs || TIMEOUT_MS,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.error) {
    const code = run.error.code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') {
      return {
        ok: false,
        reason: 'missing',
        message: `opsplan was not found at "${command}" (${code}). Set "opsplan.path" to the opsplan binary, or put it on PATH. Highlighting works without it.`,
      };
    }
    return {
      ok: false,
      reason: 'failed',
      message: `"${command} lsp --help" did not run: ${run.error.message}. Highlighting works without the language server.`,
    };
  }
  if (run.status === 0) return { ok: true };
  const said = `${run.stderr || ''}\n${run.stdout || ''}`;
  if (/unrecognized subcommand|unknown (sub)?command|invalid subcommand/i.test(said)) {
    return {
      ok: false,
      reason: 'no-lsp',
      message: `"${command}" has no "lsp" command yet: this opsplan cannot serve diagnostics to the editor. Highlighting works; update opsplan for the language server, or run "opsplan check" in a terminal.`,
    };
  }
  const first = said.split('\n').map((l) => l.trim()).find((l) => l !== '') || `exit status ${run.status}, signal ${run.signal}`;
  return {
    ok: false,
    reason: 'failed',
    message: `"${command} lsp --help" failed: ${first}. Highlighting works without the language server.`,
  };
}

module.exports = { probe };
