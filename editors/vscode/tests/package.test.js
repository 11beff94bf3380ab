// What package.json and language-configuration.json promise: the four file kinds under
// one language id, the grammar's scope, the two settings, exact versions, the project's
// licence; the word pattern and folding markers on opsplan lines.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');

const here = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const config = JSON.parse(fs.readFileSync(path.join(here, 'language-configuration.json'), 'utf8'));

test('one language id for .plan, .proc, .scn and .roster, with the grammar of source.opsplan', () => {
  const [language] = pkg.contributes.languages;
  assert.strictEqual(pkg.contributes.languages.length, 1);
  assert.strictEqual(language.id, 'opsplan');
  assert.deepStrictEqual(language.extensions, ['.plan', '.proc', '.scn', '.roster']);
  const [grammar] = pkg.contributes.grammars;
  assert.strictEqual(grammar.language, 'opsplan');
  const tm = JSON.parse(fs.readFileSync(path.join(here, grammar.path), 'utf8'));
  assert.strictEqual(tm.scopeName, grammar.scopeName);
});

test('the settings opsplan.path and opsplan.trace.server', () => {
  const props = pkg.contributes.configuration.properties;
  assert.strictEqual(props['opsplan.path'].default, 'opsplan');
  assert.deepStrictEqual(props['opsplan.trace.server'].enum, ['off', 'messages', 'verbose']);
});

test('exact versions only, and the licence of Cargo.toml', () => {
  for (const deps of [pkg.dependencies, pkg.devDependencies]) {
    for (const [name, version] of Object.entries(deps)) {
      assert.match(version, /^[0-9]+\.[0-9]+\.[0-9]+$/, `${name} ${version} is not an exact version`);
    }
  }
  const cargo = fs.readFileSync(path.join(here, '..', '..', 'Cargo.toml'), 'utf8');
  const licence = /^license\s*=\s*"([^"]+)"/m.exec(cargo)[1];
  assert.strictEqual(pkg.license, licence);
  // The .vsix carries the licence text: the extension's copy is the repository's.
  const text = (p) => fs.readFileSync(p, 'utf8');
  assert.strictEqual(text(path.join(here, 'LICENSE')), text(path.join(here, '..', '..', 'LICENSE')));
  assert.match(text(path.join(here, 'LICENSE')), /Apache License\s+Version 2\.0/);
});

test('the word pattern takes whole opsplan names', () => {
  const word = new RegExp(config.wordPattern, 'g');
  const words = (text) => text.match(word);
  assert.deepStrictEqual(words('procedure ATV-FCP-REF-010 v3.2'), ['procedure', 'ATV-FCP-REF-010', 'v3', '2']);
  assert.deepStrictEqual(words('at A11.end + 10m'), ['at', 'A11', 'end', '10', 'm']);
  assert.deepStrictEqual(words('after A-end-'), ['after', 'A-end']);
  assert.deepStrictEqual(words('by MCC-M, FE_5'), ['by', 'MCC-M', 'FE_5']);
});

test('folding markers: a line ending in `{`, a block comment, a closing `}`', () => {
  const start = new RegExp(config.folding.markers.start);
  const end = new RegExp(config.folding.markers.end);
  assert.ok(start.test('  activity A12 "Transfer" {'));
  assert.ok(start.test('  step 1 {   // first'));
  assert.ok(start.test('/*'));
  assert.ok(!start.test('  /* one line */'));
  assert.ok(!start.test('  scenario S { outcome passed }'));
  assert.ok(end.test('  }'));
  assert.ok(end.test(' */'));
  assert.deepStrictEqual(config.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
});
