// Headless-Chromium check of opsplan's HTML reports. Run through .ci/browser-check,
// which installs Chromium and playwright-core and renders the reports first.
//
//   node browser-check.mjs check OUT_DIR  NAME HTML SELECTORS CHECKS VERDICT_RE  [NAME HTML ...]
//   node browser-check.mjs self-test FIXTURE_DIR
//
// SELECTORS is a ';'-separated list of CSS selectors that must each match a visible
// element (an SVG one with at least one shape or text); VERDICT_RE is a case-insensitive
// regular expression the text of #verdict must match ('' = any non-empty text). A page
// fails on: a console message of type error, an uncaught page error, a dialog, a renderer
// crash, any request other than the page's own file (the reports are self-contained:
// inline CSS and SVG, no network; such requests are refused, never sent), an empty body,
// a missing or invisible key element, an empty or unexpected verdict. Layout oddities (SVG
// labels overlapping or cut at the SVG's edge, short cells wrapping, horizontal scrolling)
// are printed as notes, not failures. A full-page PNG (VIEWPORT_WIDTH wide, height capped
// at MAX_HEIGHT) is written per report as OUT_DIR/NAME.png, failed or not.
//
// CHECKS is a ','-separated list of further checks ('-' for none):
//   tables  every `table.sort` (templates/sortable.html) is used as a reader would: a click
//           on a header must sort its rows (stable, numeric-aware: numbers as numbers,
//           `R-9` before `R-10`), a second click reverse them, a third restore the
//           document's order; typing in the table's filter box must show exactly the rows
//           holding the text; choosing a status must show exactly the rows of that status
//           (and, for table#requirements, as many as the coverage counts say); then the
//           largest table is grown to 10,000 rows and the report's own script run on it:
//           a sort must take the script under SCALE_LIMIT_MS and, layout included, no
//           more than SCALE_LIMIT_MS plus three layouts of the table (measured first, so
//           a loaded machine does not fail it); a filter likewise (the times are printed).
//   print   the page is printed to PDF by Chromium (CSS page size), OUT_DIR/NAME.pdf, its
//           pages rendered to OUT_DIR/NAME-print-N.png (poppler's pdftoppm) and read back
//           as text (pdftotext -layout): every page must carry its number (`N / PAGES`),
//           and no page may end with a heading (h1-h3) whose content went to the next.
//
// Self-test: every FIXTURE_DIR/pass-*.html must pass and every fail-*.html must fail with
// a problem whose text contains the fixture's `<!-- expect: TEXT -->` comment; the key
// elements are the consistency report's, unless the fixture says `<!-- selectors: A;B -->`
// (`-` for none); `<!-- checks: tables,print -->` adds checks. `<!-- include: PATH -->`
// is replaced by that file of the repository (the tables script, stripped of its tera
// tags), so the fixtures test the script the reports carry.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const VIEWPORT_WIDTH = 1280;
const VIEWPORT_HEIGHT = 900;
const MAX_HEIGHT = 4000;
const LOAD_TIMEOUT_MS = 30_000;
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
const SCALE_ROWS = 10_000;
const SCALE_LIMIT_MS = 2_000;
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Known-good flags for Debian's Chromium as root on a closed network. The host resolver
// rule makes sure nothing outside the machine is ever looked up, whatever a page asks.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--font-render-hinting=none',
];

async function launch() {
  // Playwright gives every launch a fresh, temporary --user-data-dir of its own.
  return chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

function newContext(browser) {
  return browser.newContext({
    viewport: { width: VIEWPORT_WIDTH, height: VIEWPORT_HEIGHT },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    locale: 'en-GB',
    timezoneId: 'UTC',
    serviceWorkers: 'block',
  });
}

/** Loads one HTML file and returns { problems: [..], notes: [..] }; writes `png` if given. */
async function checkPage(browser, htmlPath, selectors, verdictRe, png) {
  const problems = [];
  const notes = [];
  const url = pathToFileURL(resolve(htmlPath)).href;
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        const loc = msg.location();
        const where = loc && loc.url ? ` (${basename(loc.url)}:${loc.lineNumber + 1})` : '';
        problems.push(`console error: ${msg.text()}${where}`);
      }
    });
    page.on('pageerror', (err) => {
      problems.push(`page error (uncaught exception): ${err.message}`);
    });
    page.on('crash', () => problems.push('the page crashed the renderer'));
    page.on('dialog', (dialog) => {
      problems.push(`the page opened a dialog (${dialog.type()}): ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    page.on('requestfailed', (req) => {
      if (req.url() === url) {
        problems.push(`failed to load the page itself: ${req.failure()?.errorText ?? ''}`);
      }
      // Other failures are the blocked external loads, reported by the route below.
    });
    // Everything except the page's own file and inline data is refused before it leaves
    // the browser, and reported: a report must not load anything.
    await context.route('**/*', (route) => {
      const reqUrl = route.request().url();
      if (reqUrl === url) return route.continue();
      const scheme = reqUrl.split(':', 1)[0];
      const kind = scheme === 'http' || scheme === 'https' ? 'network request' : `external ${scheme}: load`;
      problems.push(`${kind} (not self-contained): ${route.request().resourceType()} ${reqUrl}`);
      return route.abort('blockedbyclient');
    });

    const response = await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    if (response && !response.ok() && response.status() !== 0) {
      problems.push(`the page loaded with status ${response.status()}`);
    }
    // Let late errors (timers, rendering callbacks) surface.
    await page.waitForTimeout(250);

    const body = await page.evaluate(() => {
      const b = document.body;
      if (!b) return { exists: false };
      return {
        exists: true,
        text: b.innerText.trim().length,
        elements: b.querySelectorAll('*').length,
        scrollWidth: document.documentElement.scrollWidth,
        scrollHeight: document.documentElement.scrollHeight,
      };
    });
    if (!body.exists || (body.text === 0 && body.elements === 0)) {
      problems.push('empty body: the page shows nothing');
    } else if (body.text === 0) {
      problems.push('empty body: the page has no visible text');
    }

    for (const sel of selectors) {
      const loc = page.locator(sel);
      const count = await loc.count();
      if (count === 0) {
        problems.push(`missing key element \`${sel}\``);
        continue;
      }
      let visible = false;
      for (let i = 0; i < count && !visible; i++) visible = await loc.nth(i).isVisible();
      if (!visible) {
        problems.push(`key element \`${sel}\` is present but not visible (hidden or zero size)`);
        continue;
      }
      if (/^svg\b/.test(sel)) {
        const shapes = await loc.first().evaluate((svg) => svg.querySelectorAll('rect,path,line,polyline,polygon,circle,ellipse,text').length);
        if (shapes === 0) problems.push(`key element \`${sel}\` is an empty SVG (no shapes or text)`);
      }
    }
    const hasVerdict = selectors.some((s) => s === '#verdict');
    if (hasVerdict && (await page.locator('#verdict').count()) > 0) {
      const text = (await page.locator('#verdict').first().innerText()).trim().replace(/\s+/g, ' ');
      if (text === '') {
        problems.push('the verdict `#verdict` is empty');
      } else if (verdictRe && !new RegExp(verdictRe, 'i').test(text)) {
        problems.push(`the verdict \`#verdict\` reads "${text}", expected /${verdictRe}/i`);
      } else {
        notes.push(`verdict: ${text}`);
      }
    }

    // Layout observations: not failures, but worth a look.
    if (body.exists && body.scrollWidth > VIEWPORT_WIDTH) {
      notes.push(`layout: page is ${body.scrollWidth}px wide in a ${VIEWPORT_WIDTH}px viewport (horizontal scrolling)`);
    }
    const overlaps = await page.evaluate(() => {
      // SVG labels drawn on top of one another (e.g. a crowded timeline).
      const out = [];
      for (const svg of document.querySelectorAll('svg')) {
        const texts = [...svg.querySelectorAll('text')]
          .map((t) => ({ t: t.textContent.trim(), r: t.getBoundingClientRect() }))
          .filter((x) => x.t && x.r.width > 0 && x.r.height > 0);
        for (let i = 0; i < texts.length && out.length < 5; i++) {
          for (let j = i + 1; j < texts.length && out.length < 5; j++) {
            const a = texts[i].r, b = texts[j].r;
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 2 && h > 2) out.push(`"${texts[i].t}" / "${texts[j].t}"`);
          }
        }
      }
      return out;
    });
    const clipped = await page.evaluate(() => {
      // SVG labels running past the edge of their (overflow: hidden) SVG.
      const out = [];
      for (const svg of document.querySelectorAll('svg')) {
        const box = svg.getBoundingClientRect();
        for (const t of svg.querySelectorAll('text')) {
          const r = t.getBoundingClientRect();
          if (r.width === 0 || !t.textContent.trim()) continue;
          if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
            out.push(`"${t.textContent.trim()}"`);
          }
        }
      }
      return [...new Set(out)];
    });
    if (clipped.length) notes.push(`layout: SVG labels past the edge of their SVG: ${clipped.slice(0, 5).join(', ')}${clipped.length > 5 ? ', …' : ''}`);
    const wrapped = await page.evaluate(() => {
      // Short data cells (numbers, dates, ids) broken over several lines.
      const out = [];
      for (const td of document.querySelectorAll('td')) {
        const style = getComputedStyle(td);
        if (style.writingMode !== 'horizontal-tb' || style.transform !== 'none') continue;
        const text = td.innerText.trim();
        if (!text || text.length > 24 || text.includes('\n')) continue;
        const lh = parseFloat(getComputedStyle(td).lineHeight) || parseFloat(getComputedStyle(td).fontSize) * 1.3;
        const range = document.createRange();
        range.selectNodeContents(td);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top / (lh / 2))));
        if (lines.size > 2 || range.getBoundingClientRect().height > 1.6 * lh) {
          const table = td.closest('table');
          out.push(`${table && table.id ? 'table#' + table.id : 'a table'}: "${text.replace(/\s+/g, ' ')}"`);
        }
      }
      return out;
    });
    if (wrapped.length) notes.push(`layout: ${wrapped.length} short table cells (td) wrap onto several lines, e.g. ${wrapped.slice(0, 4).join(', ')}`);
    if (overlaps.length) notes.push(`layout: overlapping SVG labels: ${overlaps.join(', ')}${overlaps.length >= 5 ? ', …' : ''}`);

    if (png) {
      const height = Math.max(1, Math.min(body.scrollHeight || VIEWPORT_HEIGHT, MAX_HEIGHT));
      if ((body.scrollHeight || 0) > MAX_HEIGHT) {
        notes.push(`screenshot clipped at ${MAX_HEIGHT}px of ${body.scrollHeight}px`);
      }
      const width = Math.max(VIEWPORT_WIDTH, Math.min(body.scrollWidth || VIEWPORT_WIDTH, 2 * VIEWPORT_WIDTH));
      await page.screenshot({ path: png, fullPage: true, animations: 'disabled', caret: 'hide', clip: { x: 0, y: 0, width, height } });
    }
  } catch (err) {
    problems.push(`could not be checked: ${err.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
  return { problems: [...new Set(problems)], notes };
}

/** A page of `htmlPath` in a fresh context that refuses every load but the page's own. */
async function openPage(browser, htmlPath, problems) {
  const url = pathToFileURL(resolve(htmlPath)).href;
  const context = await newContext(browser);
  await context.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    problems.push(`external load (not self-contained): ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error (uncaught exception): ${err.message}`));
  await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
  return { context, page };
}

// In the page: what the checker expects of a sortable table, computed on its own from the
// rows as they were before any click (`data-bc` holds each row's place in the document).
const PAGE_HELPERS = `
window.__bc = {
  text(cell) { return cell ? cell.textContent.replace(/\\s+/g, ' ').trim() : ''; },
  rows(t) { return [...t.tBodies[0].rows]; },
  tag(t) { this.rows(t).forEach((r, i) => { r.dataset.bc = String(i); }); },
  order(t) { return this.rows(t).map((r) => Number(r.dataset.bc)); },
  visible(t) { return this.rows(t).filter((r) => getComputedStyle(r).display !== 'none').map((r) => Number(r.dataset.bc)); },
  keys(t, col) {
    const rows = this.rows(t).slice().sort((a, b) => Number(a.dataset.bc) - Number(b.dataset.bc));
    return rows.map((r) => this.text(r.cells[col]));
  },
};`;

// The order a sortable table must show: computed here, in node, from the cells' texts in
// document order (never with the page's own functions, which the page could change).
const NUMBER = /^[-+]?\d+(?:\.\d+)?\s*%?$/;
const COLLATOR = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
function isNumeric(values) {
  return values.some((v) => NUMBER.test(v)) && values.every((v) => v === '' || v === '\u2014' || NUMBER.test(v));
}
function expectedOrder(keys, dir) {
  const idx = keys.map((_, i) => i);
  if (dir === 0) return idx;
  const num = (v) => (NUMBER.test(v) ? parseFloat(v) : Infinity);
  const cmp = isNumeric(keys)
    ? (a, b) => (num(keys[a]) > num(keys[b])) - (num(keys[a]) < num(keys[b]))
    : (a, b) => COLLATOR.compare(keys[a], keys[b]);
  return idx.sort((a, b) => dir * cmp(a, b) || a - b);
}

/** The `tables` check: sorting and filtering of every `table.sort`, then 10,000 rows. */
async function checkTables(browser, htmlPath) {
  const problems = [];
  const notes = [];
  const { context, page } = await openPage(browser, htmlPath, problems);
  try {
    await page.evaluate(PAGE_HELPERS);
    const tables = await page.evaluate(() => [...document.querySelectorAll('table.sort')].map((t, i) => {
      window.__bc.tag(t);
      const ths = [...t.tHead.rows[t.tHead.rows.length - 1].cells];
      return {
        i,
        name: t.id ? `table#${t.id}` : `table.sort #${i + 1}`,
        rows: window.__bc.rows(t).length,
        headers: ths.map((th) => window.__bc.text(th)),
        statusCol: ths.findIndex((th) => th.classList.contains('st')),
        columns: ths.map((_, c) => window.__bc.keys(t, c)),
      };
    }));
    if (tables.length === 0) problems.push('no sortable table (table.sort)');
    let checked = 0;
    for (const t of tables) {
      if (t.rows < 2) continue;
      checked++;
      const table = page.locator('table.sort').nth(t.i);
      const ths = table.locator('thead tr').last().locator('th');
      // Sorting: the first column, the status column, every numeric column.
      const cols = [...new Set([0, t.statusCol, ...t.columns.map((k, c) => (isNumeric(k) ? c : -1))])].filter((c) => c >= 0).slice(0, 6);
      for (const col of cols) {
        for (const [dir, what] of [[1, 'ascending'], [-1, 'descending'], [0, 'the document order']]) {
          await ths.nth(col).click();
          const got = await table.evaluate((el) => window.__bc.order(el));
          const want = expectedOrder(t.columns[col], dir);
          if (got.join() !== want.join()) {
            const first = got.findIndex((g, k) => g !== want[k]);
            problems.push(`${t.name}: click ${dir === 1 ? 1 : dir === -1 ? 2 : 3} on "${t.headers[col]}" should give ${what}, but row ${first + 1} is not the expected one`);
            break;
          }
        }
      }
      // Filtering by text: a word of a row in the middle.
      const tool = await table.evaluate((el) => {
        const bar = el.previousElementSibling;
        return bar && bar.classList.contains('tools') ? { input: !!bar.querySelector('input'), select: !!bar.querySelector('select') } : null;
      });
      if (!tool || !tool.input) {
        problems.push(`${t.name}: no filter box above the table`);
        continue;
      }
      const query = await table.evaluate((el) => {
        const rows = window.__bc.rows(el);
        const words = window.__bc.text(rows[Math.floor(rows.length / 2)].cells[0]).split(' ').filter((w) => w.length > 2);
        return (words[0] || window.__bc.text(rows[0].cells[0])).toLowerCase();
      });
      const bar = table.locator('xpath=preceding-sibling::div[contains(@class,"tools")][1]');
      await bar.locator('input').fill(query);
      const filtered = await waitForVisible(table, (el, q) => window.__bc.rows(el).filter((r) => r.textContent.replace(/\s+/g, ' ').toLowerCase().includes(q)).map((r) => Number(r.dataset.bc)), query);
      if (!filtered.ok) problems.push(`${t.name}: typing "${query}" shows ${filtered.got.length} rows, expected the ${filtered.want.length} that hold it`);
      const count = await bar.locator('.count').innerText();
      if (!count.startsWith(`${filtered.want.length} of ${t.rows}`)) problems.push(`${t.name}: the count reads "${count}" after filtering, expected ${filtered.want.length} of ${t.rows}`);
      await bar.locator('input').fill('');
      const all = await waitForVisible(table, (el) => window.__bc.rows(el).map((r) => Number(r.dataset.bc)), null);
      if (!all.ok) problems.push(`${t.name}: clearing the filter does not show every row again`);
      // Filtering by status.
      if (t.statusCol >= 0) {
        if (!tool.select) {
          problems.push(`${t.name}: a status column but no status choice`);
        } else {
          const statuses = await table.evaluate((el, c) => [...new Set(window.__bc.rows(el).map((r) => window.__bc.text(r.cells[c])))], t.statusCol);
          const counts = t.name === 'table#requirements' ? await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.counts div')].map((d) => [d.querySelector('.badge')?.textContent.trim(), Number(d.querySelector('b')?.textContent)]))) : null;
          for (const status of statuses) {
            await bar.locator('select').selectOption(status);
            const r = await waitForVisible(table, (el, a) => window.__bc.rows(el).filter((row) => window.__bc.text(row.cells[a.c]) === a.s).map((row) => Number(row.dataset.bc)), { c: t.statusCol, s: status });
            if (!r.ok) problems.push(`${t.name}: choosing "${status}" shows ${r.got.length} rows, expected the ${r.want.length} of that status`);
            if (counts && counts[status] !== undefined && counts[status] !== r.got.length) problems.push(`${t.name}: "${status}" shows ${r.got.length} rows, the coverage counts say ${counts[status]}`);
          }
          await bar.locator('select').selectOption('');
        }
      }
    }
    if (tables.length && checked === 0) problems.push('no sortable table has two rows to sort');
    // Scale: the largest table grown to SCALE_ROWS rows, the report's own script run on it.
    const scale = await page.evaluate(async ({ rowsWanted }) => {
      const script = [...document.scripts].find((s) => s.textContent.includes('table.sort'));
      const tables = [...document.querySelectorAll('table.sort')];
      if (!script || !tables.length) return null;
      const big = tables.reduce((a, b) => (b.tBodies[0].rows.length > a.tBodies[0].rows.length ? b : a));
      const copy = big.cloneNode(true);
      copy.id = 'scale-test';
      const body = copy.tBodies[0];
      const model = [...body.rows];
      for (let i = 0; body.rows.length < rowsWanted; i++) {
        const r = model[i % model.length].cloneNode(true);
        r.removeAttribute('id');
        r.cells[0].textContent = `GEN-${body.rows.length}`;
        body.appendChild(r);
      }
      tables.forEach((t) => t.classList.remove('sort'));
      document.body.appendChild(copy);
      const again = document.createElement('script');
      again.textContent = script.textContent;
      document.body.appendChild(again);
      void document.body.offsetHeight;
      // What laying the table out again costs the browser, whatever a script does: the
      // yardstick of the sort, which moves every row (and of a filter that hides most).
      let t0 = performance.now();
      copy.style.width = '99.5%';
      void document.body.offsetHeight;
      const relayoutMs = performance.now() - t0;
      const th = copy.tHead.rows[copy.tHead.rows.length - 1].cells[0];
      t0 = performance.now();
      th.click();
      const scriptMs = performance.now() - t0;
      void document.body.offsetHeight;
      const sortMs = performance.now() - t0;
      const bar = copy.previousElementSibling;
      const input = bar && bar.querySelector('input');
      if (!input) return { rows: body.rows.length, sortMs, scriptMs, relayoutMs, filterMs: null };
      const expected = [...body.rows].filter((r) => r.textContent.toLowerCase().includes('gen-99')).length;
      t0 = performance.now();
      input.value = 'gen-99';
      input.dispatchEvent(new Event('input'));
      while (!bar.querySelector('.count').textContent.includes(' of ') && performance.now() - t0 < 10_000) {
        await new Promise((r) => setTimeout(r, 5));
      }
      void document.body.offsetHeight;
      const filterMs = performance.now() - t0;
      const shown = [...body.rows].filter((r) => getComputedStyle(r).display !== 'none').length;
      return { rows: body.rows.length, sortMs, scriptMs, relayoutMs, filterMs, shown, expected };
    }, { rowsWanted: SCALE_ROWS });
    if (!scale) {
      problems.push('the tables script was not found (a <script> holding "table.sort")');
    } else {
      const ms = (x) => `${Math.round(x)} ms`;
      notes.push(`${scale.rows} rows: sorted in ${ms(scale.sortMs)} (the script ${ms(scale.scriptMs)}, the rest the browser's layout; laying the table out again alone takes ${ms(scale.relayoutMs)}), filtered in ${scale.filterMs === null ? '-' : ms(scale.filterMs)} (debounce included)`);
      // The script's own work must be small; the whole within a few layouts of the table
      // (what a loaded machine makes of any change to a 10,000-row table).
      const limit = SCALE_LIMIT_MS + 3 * scale.relayoutMs;
      if (scale.scriptMs > SCALE_LIMIT_MS) problems.push(`sorting ${scale.rows} rows took the script ${ms(scale.scriptMs)} (limit ${SCALE_LIMIT_MS} ms)`);
      if (scale.sortMs > limit) problems.push(`sorting ${scale.rows} rows took ${ms(scale.sortMs)} (limit ${ms(limit)}: ${SCALE_LIMIT_MS} ms and three layouts of the table)`);
      if (scale.filterMs === null || scale.filterMs > limit) problems.push(`filtering ${scale.rows} rows took ${scale.filterMs === null ? 'forever' : ms(scale.filterMs)} (limit ${ms(limit)})`);
      else if (scale.shown !== scale.expected) problems.push(`filtering ${scale.rows} rows on "gen-99" shows ${scale.shown} rows, expected ${scale.expected}`);
    }
  } catch (err) {
    problems.push(`tables could not be checked: ${err.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
  return { problems, notes };
}

/** Waits (up to 3 s: the filter is debounced) until the visible rows are `want(table, arg)`. */
async function waitForVisible(table, want, arg) {
  const deadline = Date.now() + 3000;
  let got = [];
  let wanted = [];
  for (;;) {
    [got, wanted] = await table.evaluate((el, a) => [window.__bc.visible(el), new Function('el', 'a', `return (${a.f})(el, a.arg)`)(el, a)], { f: want.toString(), arg });
    if (got.join() === wanted.join()) return { ok: true, got, want: wanted };
    if (Date.now() > deadline) return { ok: false, got, want: wanted };
    await new Promise((r) => setTimeout(r, 50));
  }
}

function run(cmd, args) {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** The `print` check: PDF, page numbers, no page ending with a heading, PNGs of the pages. */
async function checkPrint(browser, htmlPath, outDir, name) {
  const problems = [];
  const notes = [];
  const { context, page } = await openPage(browser, htmlPath, problems);
  try {
    const headings = await page.evaluate(() => [...document.querySelectorAll('h1, h2, h3')].map((h) => h.innerText.replace(/\s+/g, ' ').trim()).filter(Boolean));
    const pdf = join(outDir, `${name}.pdf`);
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    const text = run('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-']);
    const pages = text.split('\f');
    if (pages.length > 1 && pages[pages.length - 1].trim() === '') pages.pop();
    const total = pages.length;
    const norm = (l) => l.replace(/\s+/g, ' ').trim();
    for (let i = 0; i < total; i++) {
      const lines = pages[i].split('\n').map(norm).filter(Boolean);
      // pdftotext may set the page box's text without its spaces ("3/12").
      const number = `${i + 1} / ${total}`;
      const numbered = new RegExp(`(^|\\s)${i + 1}\\s*/\\s*${total}$`);
      const footer = lines.findIndex((l) => numbered.test(l));
      if (footer < 0) {
        problems.push(`page ${i + 1} of ${total} has no page number "${number}"`);
        continue;
      }
      const body = lines.filter((_, k) => k !== footer);
      if (i === total - 1) continue;
      // The last line of the page, or its last two or three (a heading wrapped), is a heading.
      for (let k = 1; k <= Math.min(3, body.length); k++) {
        const tail = body.slice(body.length - k).join(' ');
        const h = headings.find((x) => x === tail);
        if (h) {
          problems.push(`page ${i + 1} ends with the heading "${h}" (its content is on page ${i + 2})`);
          break;
        }
      }
    }
    for (const f of readdirSync(outDir)) {
      if (f.startsWith(`${name}-print-`) && f.endsWith('.png')) rmSync(join(outDir, f));
    }
    run('pdftoppm', ['-png', '-r', '60', pdf, join(outDir, `${name}-print`)]);
    const pngs = readdirSync(outDir).filter((f) => f.startsWith(`${name}-print-`) && f.endsWith('.png'));
    if (pngs.length !== total) problems.push(`pdftoppm rendered ${pngs.length} pages of ${total}`);
    notes.push(`printed: ${total} A4 page${total === 1 ? '' : 's'} -> ${pdf}, ${join(outDir, `${name}-print-*.png`)}`);
  } catch (err) {
    problems.push(`could not be printed and read back: ${err.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
  return { problems, notes };
}

/** Runs the page check and the extra `checks` on one page. */
async function checkAll(browser, html, selectors, checks, verdictRe, outDir, name, png) {
  const result = await checkPage(browser, html, selectors, verdictRe, png);
  for (const c of checks) {
    let r;
    if (c === 'tables') r = await checkTables(browser, html);
    else if (c === 'print') r = await checkPrint(browser, html, outDir, name);
    else r = { problems: [`unknown check "${c}"`], notes: [] };
    result.problems.push(...r.problems);
    result.notes.push(...r.notes);
  }
  return result;
}

function checksOf(field) {
  return (field || '-').split(',').map((c) => c.trim()).filter((c) => c && c !== '-');
}

async function runCheck(outDir, rest) {
  if (rest.length === 0 || rest.length % 5 !== 0) {
    throw new Error('check: expected OUT_DIR then groups of NAME HTML SELECTORS CHECKS VERDICT_RE');
  }
  mkdirSync(outDir, { recursive: true });
  const browser = await launch();
  let failed = 0;
  try {
    for (let i = 0; i < rest.length; i += 5) {
      const [name, html, sels, checks, verdictRe] = rest.slice(i, i + 5);
      const selectors = sels.split(';').map((s) => s.trim()).filter(Boolean);
      const png = join(outDir, `${name}.png`);
      const t0 = Date.now();
      const { problems, notes } = await checkAll(browser, html, selectors, checksOf(checks), verdictRe, outDir, name, png);
      const ms = Date.now() - t0;
      if (problems.length) {
        failed++;
        console.log(`FAIL ${name} (${html}):`);
        for (const p of problems) console.log(`  - ${p}`);
      } else {
        console.log(`ok   ${name} (${html}) in ${ms} ms -> ${png}`);
      }
      for (const n of notes) console.log(`       ${n}`);
    }
  } finally {
    await browser.close();
  }
  const n = rest.length / 5;
  console.log(`browser: ${n - failed} of ${n} pages passed`);
  return failed === 0;
}

/** A fixture with its `<!-- include: PATH -->` replaced by the repository's file (tera
 * comments and raw tags removed), written to `tmp`; returns the path to check. */
function materialise(path, tmp) {
  const text = readFileSync(path, 'utf8');
  if (!/<!--\s*include:/.test(text)) return path;
  const out = text.replace(/<!--\s*include:\s*(.*?)\s*-->/g, (_, file) =>
    readFileSync(join(REPO, file), 'utf8')
      .replace(/\{#-?[\s\S]*?-?#\}/g, '')
      .replace(/\{%-?\s*(raw|endraw)\s*-?%\}/g, ''));
  const dest = join(tmp, basename(path));
  writeFileSync(dest, out);
  return dest;
}

async function runSelfTest(dir) {
  const defaultSelectors = ['#verdict', 'svg.timeline', 'table#findings'];
  const verdictRe = '^(pass|pass with waivers|fail)$';
  const fixtures = readdirSync(dir).filter((f) => f.endsWith('.html')).sort();
  if (!fixtures.some((f) => f.startsWith('pass-')) || !fixtures.some((f) => f.startsWith('fail-'))) {
    throw new Error(`self-test: ${dir} needs pass-*.html and fail-*.html fixtures`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'browser-check-'));
  const browser = await launch();
  let wrong = 0;
  try {
    for (const f of fixtures) {
      const path = materialise(join(dir, f), tmp);
      const text = readFileSync(path, 'utf8');
      const expect = (text.match(/<!--\s*expect:\s*(.*?)\s*-->/) || [])[1];
      const sels = (text.match(/<!--\s*selectors:\s*(.*?)\s*-->/) || [])[1];
      const selectors = sels === undefined ? defaultSelectors : sels.split(';').map((s) => s.trim()).filter((s) => s && s !== '-');
      const checks = checksOf((text.match(/<!--\s*checks:\s*(.*?)\s*-->/) || [])[1]);
      const { problems } = await checkAll(browser, path, selectors, checks, sels === undefined ? verdictRe : '', tmp, f.replace(/\.html$/, ''), null);
      if (f.startsWith('pass-')) {
        if (problems.length) {
          wrong++;
          console.log(`self-test WRONG: ${f} should pass but failed:\n  - ${problems.join('\n  - ')}`);
        } else {
          console.log(`self-test ok: ${f} passes`);
        }
      } else if (f.startsWith('fail-')) {
        if (!expect) {
          wrong++;
          console.log(`self-test WRONG: ${f} has no <!-- expect: ... --> comment`);
        } else if (!problems.length) {
          wrong++;
          console.log(`self-test WRONG: ${f} should fail (${expect}) but passed`);
        } else if (!problems.some((p) => p.includes(expect))) {
          wrong++;
          console.log(`self-test WRONG: ${f} failed, but not with "${expect}":\n  - ${problems.join('\n  - ')}`);
        } else {
          console.log(`self-test ok: ${f} fails: ${problems.find((p) => p.includes(expect))}`);
        }
      }
    }
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`self-test: ${fixtures.length - wrong} passed, ${wrong} failed`);
  return wrong === 0;
}

const [mode, ...args] = process.argv.slice(2);
let ok;
try {
  if (mode === 'check') ok = await runCheck(args[0], args.slice(1));
  else if (mode === 'self-test' && args.length === 1) ok = await runSelfTest(args[0]);
  else throw new Error('usage: browser-check.mjs check OUT_DIR NAME HTML SELECTORS CHECKS VERDICT_RE ... | self-test FIXTURE_DIR');
} catch (err) {
  console.error(`browser-check: ${err.message}`);
  process.exit(2);
}
process.exit(ok ? 0 : 1);
