// The check made before the language server starts (src/probe.js), on stand-in binaries:
// a missing path, an opsplan without the `lsp` command (what clap prints today), one with
// it, and one that fails otherwise. With OPSPLAN set, the real binary is probed too.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { probe } = require('../src/probe');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsplan-probe-'));
function script(name, body) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

test('a missing binary is reported as missing, naming the path and the setting', () => {
  const result = probe(path.join(dir, 'no-such-opsplan'));
  assert.strictEqual(result.ok, false);
  assert.strictEqual(result.reason, 'missing');
  assert.match(result.message, /no-such-opsplan/);
  assert.match(result.message, /opsplan\.path/);
});

test('an opsplan without the lsp command is told apart', () => {
  const old = script('old-opsplan', "echo \"error: unrecognized subcommand 'lsp'\" >&2\nexit 2");
  const result = probe(old);
  assert.strictEqual(result.ok, false);
  assert.strictEqual(result.reason, 'no-lsp');
  assert.match(result.message, /no "lsp" command/);
  assert.match(result.message, /Highlighting works/);
});

test('an opsplan with the lsp command is accepted', () => {
  const fresh = script('new-opsplan', '[ "$1" = lsp ] && [ "$2" = --help ] && echo "Usage: opsplan lsp" && exit 0\nexit 3');
  assert.deepStrictEqual(probe(fresh), { ok: true });
});

test('another failure gives its first line', () => {
  const broken = script('broken-opsplan', 'echo "cannot open shared library" >&2\nexit 127');
  const result = probe(broken);
  assert.strictEqual(result.reason, 'failed');
  assert.match(result.message, /cannot open shared library/);
});

test('the opsplan binary of $OPSPLAN answers, with lsp or without', { skip: !process.env.OPSPLAN && 'OPSPLAN is not set' }, () => {
  const result = probe(process.env.OPSPLAN);
  assert.ok(result.ok || result.reason === 'no-lsp', JSON.stringify(result));
});
