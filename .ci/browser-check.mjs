// Headless-Chromium check of opsplan's HTML reports. Run through .ci/browser-check,
// which installs Chromium and playwright-core and renders the reports first.
//
//   node browser-check.mjs check OUT_DIR  NAME HTML SELECTORS VERDICT_RE  [NAME HTML ...]
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
// Self-test: every FIXTURE_DIR/pass-*.html must pass and every fail-*.html must fail with
// a problem whose text contains the fixture's `<!-- expect: TEXT -->` comment; the key
// elements are the consistency report's.

import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const VIEWPORT_WIDTH = 1280;
const VIEWPORT_HEIGHT = 900;
const MAX_HEIGHT = 4000;
const LOAD_TIMEOUT_MS = 30_000;
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';

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

/** Loads one HTML file and returns { problems: [..], notes: [..] }; writes `png` if given. */
async function checkPage(browser, htmlPath, selectors, verdictRe, png) {
  const problems = [];
  const notes = [];
  const url = pathToFileURL(resolve(htmlPath)).href;
  const context = await browser.newContext({
    viewport: { width: VIEWPORT_WIDTH, height: VIEWPORT_HEIGHT },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    locale: 'en-GB',
    timezoneId: 'UTC',
    serviceWorkers: 'block',
  });
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

async function runCheck(outDir, rest) {
  if (rest.length === 0 || rest.length % 4 !== 0) {
    throw new Error('check: expected OUT_DIR then groups of NAME HTML SELECTORS VERDICT_RE');
  }
  mkdirSync(outDir, { recursive: true });
  const browser = await launch();
  let failed = 0;
  try {
    for (let i = 0; i < rest.length; i += 4) {
      const [name, html, sels, verdictRe] = rest.slice(i, i + 4);
      const selectors = sels.split(';').map((s) => s.trim()).filter(Boolean);
      const png = join(outDir, `${name}.png`);
      const t0 = Date.now();
      const { problems, notes } = await checkPage(browser, html, selectors, verdictRe, png);
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
  const n = rest.length / 4;
  console.log(`browser: ${n - failed} of ${n} pages passed`);
  return failed === 0;
}

async function runSelfTest(dir) {
  const selectors = ['#verdict', 'svg.timeline', 'table#findings'];
  const verdictRe = '^(pass|pass with waivers|fail)$';
  const fixtures = readdirSync(dir).filter((f) => f.endsWith('.html')).sort();
  if (!fixtures.some((f) => f.startsWith('pass-')) || !fixtures.some((f) => f.startsWith('fail-'))) {
    throw new Error(`self-test: ${dir} needs pass-*.html and fail-*.html fixtures`);
  }
  const browser = await launch();
  let wrong = 0;
  try {
    for (const f of fixtures) {
      const path = join(dir, f);
      const expect = (readFileSync(path, 'utf8').match(/<!--\s*expect:\s*(.*?)\s*-->/) || [])[1];
      const { problems } = await checkPage(browser, path, selectors, verdictRe, null);
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
  }
  console.log(`self-test: ${fixtures.length - wrong} passed, ${wrong} failed`);
  return wrong === 0;
}

const [mode, ...args] = process.argv.slice(2);
let ok;
try {
  if (mode === 'check') ok = await runCheck(args[0], args.slice(1));
  else if (mode === 'self-test' && args.length === 1) ok = await runSelfTest(args[0]);
  else throw new Error('usage: browser-check.mjs check OUT_DIR NAME HTML SELECTORS VERDICT_RE ... | self-test FIXTURE_DIR');
} catch (err) {
  console.error(`browser-check: ${err.message}`);
  process.exit(2);
}
process.exit(ok ? 0 : 1);
