#!/usr/bin/env node
// Tokenizes every opsplan file (.plan, .proc, .scn, .roster) under the repository's
// examples/ with the extension's TextMate grammar, as VS Code does (vscode-textmate on
// the Oniguruma regular expressions of vscode-oniguruma), and fails on any token scoped
// `invalid`: a character the grammar does not know, a bad escape, a string left open.
//   node scripts/tokenize-examples.js            check examples/
//   node scripts/tokenize-examples.js --dump F   print the tokens of F, line by line
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const here = path.join(__dirname, '..');
const EXTENSIONS = new Set(['.plan', '.proc', '.scn', '.roster']);

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammarPath = path.join(here, 'syntaxes', 'opsplan.tmLanguage.json');
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.opsplan'
        ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  return registry.loadGrammar('source.opsplan');
}

/// The tokens of a file: [{ line, column, text, scopes }], 1-based positions.
function tokenize(grammar, text) {
  const tokens = [];
  let stack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, i) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    for (const t of result.tokens) {
      tokens.push({ line: i + 1, column: t.startIndex + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
  });
  return tokens;
}

function opsplanFiles(dir) {
  const found = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop();
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (EXTENSIONS.has(path.extname(entry.name))) found.push(full);
    }
  }
  return found.sort();
}

async function main() {
  const grammar = await loadGrammar();
  const dump = process.argv.indexOf('--dump');
  if (dump >= 0) {
    const file = process.argv[dump + 1];
    let last = 0;
    let out = '';
    for (const t of tokenize(grammar, fs.readFileSync(file, 'utf8'))) {
      if (t.line !== last) { out += `\n${t.line}:`; last = t.line; }
      if (t.text.trim() !== '') out += ` ${t.text}«${t.scopes.slice(1).join(' ')}»`;
    }
    console.log(out);
    return;
  }
  const root = path.join(here, '..', '..', 'examples');
  const files = opsplanFiles(root);
  let failed = 0;
  for (const file of files) {
    const bad = tokenize(grammar, fs.readFileSync(file, 'utf8')).filter((t) => t.scopes.some((s) => s.startsWith('invalid')));
    const name = path.relative(path.join(here, '..', '..'), file);
    if (bad.length > 0) {
      failed += 1;
      for (const t of bad) console.error(`${name}:${t.line}:${t.column}: \`${t.text}\` is ${t.scopes.filter((s) => s.startsWith('invalid')).join(' ')}`);
    }
  }
  if (files.length === 0) {
    console.error(`no opsplan file under ${root}`);
    process.exit(1);
  }
  console.log(`tokenize-examples: ${files.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

module.exports = { loadGrammar, tokenize };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
