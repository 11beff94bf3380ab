// The editor view of docs/editors.md (issue #19, item 8): what a planner sees in VS Code
// while typing, rendered in headless Chromium because VS Code itself cannot run on the CI
// machine. Everything shown comes from the real tools: the highlighting from the VS Code
// extension's TextMate grammar (vscode-textmate, as VS Code tokenizes), the squiggles,
// the problems list and the hover from `opsplan lsp`, spoken to over its stdio by the
// small JSON-RPC client below, exactly as an editor does. It is also an end-to-end test
// of the server from a client that is not ours in Rust: it fails (exit 1) when the server
// publishes no diagnostic for the edited line or answers the hover with nothing.
//
//   node .ci/editor-view.mjs --opsplan target/debug/opsplan \
//     --file examples/atv5-week40/atv5-week40.plan \
//     --edit 'after  A11=>after  A1l' --hover 'A12 within' \
//     --out docs/screenshots/editor.png
//
// Needs editors/vscode's npm packages (npm ci there) and .ci's playwright-core; Chromium
// from CHROMIUM (default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
const require = createRequire(path.join(repo, 'editors', 'vscode', 'package.json'));
const { loadGrammar, tokenize } = require('./scripts/tokenize-examples.js');

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) usage(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  // --hover WORDS: the hover is asked on the first character of the first WORDS.
  for (const key of ['opsplan', 'file', 'hover', 'out']) if (!out[key]) usage(`--${key} is required`);
  return out;
}

function usage(why) {
  console.error(`editor-view: ${why}\nusage: node .ci/editor-view.mjs --opsplan BIN --file F [--edit 'FROM=>TO'] --hover WORD --out PNG [--html HTML]`);
  process.exit(2);
}

/// A JSON-RPC client over a child's stdio with the protocol's Content-Length framing.
class Client {
  constructor(bin, cwd) {
    this.child = spawn(bin, ['lsp'], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    this.buffer = Buffer.alloc(0);
    this.next = 1;
    this.pending = new Map();
    this.listeners = [];
    this.child.stdout.on('data', (chunk) => this.read(chunk));
    this.child.on('exit', (code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`opsplan lsp exited (${code})`));
    });
  }

  read(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const length = Number(/Content-Length: *(\d+)/i.exec(header)?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const body = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (body.id !== undefined && this.pending.has(body.id) && body.method === undefined) {
        const { resolve, reject } = this.pending.get(body.id);
        this.pending.delete(body.id);
        if (body.error) reject(new Error(`${body.error.code}: ${body.error.message}`));
        else resolve(body.result);
      } else if (body.method) {
        for (const listener of this.listeners) listener(body);
      }
    }
  }

  send(message) {
    const text = JSON.stringify({ jsonrpc: '2.0', ...message });
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(text, 'utf8')}\r\n\r\n${text}`);
  }

  request(method, params) {
    const id = this.next++;
    this.send({ id, method, params });
    return withTimeout(new Promise((resolve, reject) => this.pending.set(id, { resolve, reject })), `${method}`);
  }

  notify(method, params) {
    this.send({ method, params });
  }

  /// The next notification `method` whose params satisfy `accept`.
  waitFor(method, accept) {
    return withTimeout(new Promise((resolve) => {
      const listener = (message) => {
        if (message.method === method && accept(message.params)) {
          this.listeners = this.listeners.filter((l) => l !== listener);
          resolve(message.params);
        }
      };
      this.listeners.push(listener);
    }), method);
  }
}

function withTimeout(promise, what, ms = 60000) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer to ${what} after ${ms / 1000} s`)), ms).unref()),
  ]);
}

/// The UTF-16 position of the first `needle` in `text`, `into` characters into it.
function positionOf(text, needle, into = 1) {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`\`${needle}\` is not in the file`);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - (before.lastIndexOf('\n') + 1) + into;
  return { line, character };
}

const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/// The colours of VS Code's Dark Modern theme for the scopes the grammar gives.
function colour(scopes) {
  const s = scopes.join(' ');
  if (/comment/.test(s)) return '#6a9955';
  if (/string/.test(s)) return '#ce9178';
  if (/constant\.numeric|constant\.other\.(time|duration)/.test(s)) return '#b5cea8';
  if (/constant/.test(s)) return '#4fc1ff';
  if (/keyword|storage/.test(s)) return '#569cd6';
  if (/entity\.name\.(function|section)/.test(s)) return '#dcdcaa';
  if (/entity\.name|support/.test(s)) return '#4ec9b0';
  if (/variable/.test(s)) return '#9cdcfe';
  if (/punctuation/.test(s)) return '#d4d4d4';
  return '#d4d4d4';
}

/// A small Markdown subset, as the hover uses it: fenced code, `code`, **bold**, bullets.
function markdown(text) {
  const out = [];
  let fence = null;
  let list = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) {
      if (fence === null) fence = [];
      else { out.push(`<pre>${escape(fence.join('\n'))}</pre>`); fence = null; }
      continue;
    }
    if (fence !== null) { fence.push(line); continue; }
    const inline = escape(line)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
      .replace(/^#+ (.*)$/, '<b>$1</b>');
    const bullet = /^\s*[-*] (.*)$/.exec(inline);
    if (bullet) {
      if (!list) { out.push('<ul>'); list = true; }
      out.push(`<li>${bullet[1]}</li>`);
      continue;
    }
    if (list) { out.push('</ul>'); list = false; }
    if (line.trim() === '---') out.push('<hr>');
    else if (line.trim() !== '') out.push(`<p>${inline}</p>`);
  }
  if (list) out.push('</ul>');
  if (fence !== null) out.push(`<pre>${escape(fence.join('\n'))}</pre>`);
  return out.join('\n');
}

function hoverText(hover) {
  const c = hover.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n\n');
  return c.value;
}

function render({ name, lines, tokens, diagnostics, hover, hoverAt, first, last }) {
  const severity = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
  const rows = [];
  for (let n = first; n <= last; n++) {
    const line = lines[n] ?? '';
    const colours = new Array(line.length).fill('#d4d4d4');
    for (const t of tokens.filter((t) => t.line === n + 1)) {
      for (let i = t.column - 1; i < t.column - 1 + t.text.length; i++) colours[i] = colour(t.scopes);
    }
    const squiggle = new Array(line.length).fill(null);
    for (const d of diagnostics) {
      const { start, end } = d.range;
      if (n < start.line || n > end.line) continue;
      const from = n === start.line ? start.character : 0;
      const to = n === end.line ? Math.max(end.character, from + 1) : line.length;
      for (let i = from; i < Math.min(to, line.length); i++) squiggle[i] = severity[d.severity] ?? 'error';
    }
    let html = '';
    let i = 0;
    while (i < line.length) {
      let j = i + 1;
      while (j < line.length && colours[j] === colours[i] && squiggle[j] === squiggle[i]) j++;
      const cls = squiggle[i] ? ` class="sq-${squiggle[i]}"` : '';
      html += `<span style="color:${colours[i]}"${cls}>${escape(line.slice(i, j))}</span>`;
      i = j;
    }
    rows.push(`<div class="row${n === hoverAt.line ? ' current' : ''}"><span class="gutter">${n + 1}</span><span class="code" id="l${n}">${html || ' '}</span></div>`);
    if (n === hoverAt.line && hover) {
      const left = 64 + hoverAt.character * 8.4;
      rows.push(`<div class="hover" style="margin-left:${Math.max(0, left - 40)}px">${markdown(hoverText(hover))}</div>`);
    }
  }
  const problems = diagnostics.map((d) => {
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    return `<div class="problem"><span class="icon ${severity[d.severity] ?? 'error'}">●</span> ${escape(d.message.split('\n')[0])} <span class="dim">opsplan(${escape(String(code ?? ''))}) [Ln ${d.range.start.line + 1}, Col ${d.range.start.character + 1}]</span></div>`;
  }).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(name)}</title><style>
body{margin:0;background:#1f1f1f;color:#d4d4d4;font:13px/1.5 "DejaVu Sans",sans-serif}
.tab{background:#181818;padding:6px 14px;border-bottom:1px solid #2b2b2b;color:#ccc}
.tab b{color:#fff;font-weight:normal;border-bottom:1px solid #0078d4;padding-bottom:5px}
.editor{font:14px/20px "DejaVu Sans Mono",monospace;padding:6px 0;white-space:pre}
.row{display:flex}.row.current{background:#2a2d2e}
.gutter{width:48px;text-align:right;padding-right:16px;color:#6e7681;flex:none}
.sq-error{text-decoration:underline wavy #f14c4c;text-underline-offset:3px}
.sq-warning{text-decoration:underline wavy #cca700;text-underline-offset:3px}
.sq-info,.sq-hint{text-decoration:underline dotted #3794ff;text-underline-offset:3px}
.hover{white-space:normal;font:13px/1.45 "DejaVu Sans",sans-serif;background:#202020;border:1px solid #454545;border-radius:3px;box-shadow:0 2px 8px #000a;max-width:620px;padding:4px 10px;margin:2px 0 4px}
.hover pre,.hover code{font:12.5px "DejaVu Sans Mono",monospace;color:#d7ba7d}.hover p{margin:4px 0}.hover ul{margin:4px 0;padding-left:18px}.hover hr{border:0;border-top:1px solid #454545}
.panel{border-top:1px solid #2b2b2b;background:#181818;padding:6px 14px}.panel h2{font-size:11px;letter-spacing:.05em;color:#ccc;margin:2px 0 6px;font-weight:normal}
.problem{padding:1px 0}.icon.error{color:#f14c4c}.icon.warning{color:#cca700}.icon.info,.icon.hint{color:#3794ff}.dim{color:#8b8b8b}
</style></head><body><div class="tab"><b>${escape(name)}</b></div><div class="editor">${rows.join('')}</div>
<div class="panel"><h2>PROBLEMS ${diagnostics.length}</h2>${problems || '<div class="dim">No problems have been detected in the workspace.</div>'}</div></body></html>`;
}

async function main() {
  const a = args();
  const file = path.resolve(a.file);
  let text = fs.readFileSync(file, 'utf8');
  if (a.edit) {
    const [from, to] = a.edit.split('=>');
    if (!text.includes(from)) throw new Error(`--edit: \`${from}\` is not in the file`);
    text = text.replace(from, to);
  }
  const uri = pathToFileURL(file).href;
  const client = new Client(path.resolve(a.opsplan), path.dirname(file));
  await client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(path.dirname(file)).href,
    capabilities: { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { relatedInformation: true } } },
  });
  client.notify('initialized', {});
  const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'opsplan', version: 1, text } });
  const { diagnostics } = await published;
  const hoverAt = positionOf(text, a.hover);
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: hoverAt });
  await client.request('shutdown', null);
  client.notify('exit', null);

  const lines = text.split(/\r?\n/);
  const grammar = await loadGrammar();
  const tokens = tokenize(grammar, text);
  const edited = a.edit ? positionOf(text, a.edit.split('=>')[1]).line : hoverAt.line;
  const first = Math.max(0, Math.min(edited, hoverAt.line) - 4);
  const last = Math.min(lines.length - 1, Math.max(edited, hoverAt.line) + 4);
  const html = render({ name: path.basename(file), lines, tokens, diagnostics, hover, hoverAt, first, last });
  if (a.html) fs.writeFileSync(a.html, html);

  const failures = [];
  if (a.edit && !diagnostics.some((d) => d.range.start.line === edited)) failures.push(`no diagnostic on the edited line ${edited + 1}`);
  if (!hover || hoverText(hover).trim() === '') failures.push(`no hover on \`${a.hover}\``);

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 600 }, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    await page.screenshot({ path: a.out, fullPage: true, animations: 'disabled', caret: 'hide' });
  } finally {
    await browser.close();
  }
  console.log(`editor-view: ${a.out}: ${diagnostics.length} diagnostics, hover ${hover ? `${hoverText(hover).length} characters` : 'none'}`);
  if (failures.length > 0) {
    for (const f of failures) console.error(`editor-view: ${f}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`editor-view: ${error.message}`);
  process.exit(1);
});
