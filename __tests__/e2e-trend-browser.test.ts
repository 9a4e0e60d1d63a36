// The trend as GitHub would draw it: refreshes of main through the bundled action build a real history, a PR
// run reports trends, and the real `mermaid` library in Debian's chromium (puppeteer-core) draws every Mermaid
// block of its job summary and comment; one chart is kept as a PNG (WPG_TREND_PNG=path copies it out).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js';
import { pullRequestPayload, pushPayload, runAction, scratchDir } from './helpers/run-action.js';
import { requireTool } from './helpers/tools.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const chromium = requireTool('chromium');
const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
const REFRESHES = 6;
// A name a PR could write, with everything that could break out of a Mermaid string or the Markdown around it.
const HOSTILE = 'fib "q" `x` %%{init}%% #quot; <b>';

function config(ws: string, fibArg: number): void {
  const text = [
    'runtimes: [node]',
    'measure: { min-runs: 3, max-runs: 3, warmup: 1 }',
    'benchmarks:',
    `  - name: ${JSON.stringify(HOSTILE)}`,
    '    artifact: build/fibonacci.wasm',
    `    args: [${fibArg}]`,
    '  - name: add-one',
    '    artifact: build/add-one.wasm',
    '    args: [41]',
  ].join('\n');
  writeFileSync(join(ws, 'perf.yml'), text + '\n');
}

const mermaidBlocks = (md: string): string[] => [...md.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

let gh: GitHubServer;
let browser: Browser;
let summary = '';
let comment = '';

before(async () => {
  gh = await startGitHubServer();
  const ws = scratchDir('trend-');
  mkdirSync(join(ws, 'build'));
  copyFileSync('examples/wasm/fibonacci.wasm', join(ws, 'build/fibonacci.wasm'));
  copyFileSync('examples/wasm/add-one.wasm', join(ws, 'build/add-one.wasm'));
  const inputs = { config: 'perf.yml', 'baseline-path': 'perf/baseline.json', 'github-token': 'ghs_test_token' };
  config(ws, 24);
  for (let i = 1; i <= REFRESHES; i++) {
    const r = await runAction({
      workspace: ws,
      inputs,
      eventName: 'push',
      payload: pushPayload(),
      env: { GITHUB_SHA: `${i}`.padStart(40, '0') },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  }
  config(ws, 30);
  const pr = await runAction({
    workspace: ws,
    inputs: { ...inputs, trend: 'all', 'side-by-side': 'false', 'fail-on-regression': 'false' },
    eventName: 'pull_request',
    payload: pullRequestPayload(),
    env: { GITHUB_API_URL: gh.url },
  });
  assert.equal(pr.code, 0, pr.stdout + pr.stderr);
  summary = pr.summary;
  comment = gh.comments[0]?.body ?? '';
  if (chromium.skip) return; // the trend text is still checked; drawing it needs the browser
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: 120_000,
    protocolTimeout: 300_000,
  });
});

after(async () => {
  await browser?.close();
  gh?.close();
});

test('a PR run after refreshes of main reports a trend per cell in the summary and the comment', () => {
  const inSummary = mermaidBlocks(summary);
  assert.equal(inSummary.length, 2, summary);
  assert.equal(mermaidBlocks(comment).length, 2, comment);
  for (const block of inSummary) {
    const series = /line \[(.*)\]/.exec(block)![1]!.split(', ');
    assert.equal(series.length, REFRESHES + 1, `${REFRESHES} refreshes, then this run: ${block}`);
  }
  assert.match(summary, /main's last 6 refreshes: min .* · median .* · max .*; this run /);
  assert.match(summary, /title "fib 'q' 'x' \?\?\?init\?\?\? \?quot\? \?b\? · node@[\d.]+ · wall"/);
});

test(
  'every Mermaid block draws as an SVG in chromium with the real mermaid library; one is kept as a PNG',
  chromium,
  async () => {
    const dir = scratchDir('browser-');
    const html = join(dir, 'page.html');
    writeFileSync(html, '<!doctype html><html><body style="background:#fff"><div id="out"></div></body></html>');
    const page = await browser.newPage();
    // Nothing may come from the network: the page and mermaid are local files.
    await page.setRequestInterception(true);
    page.on('request', (req) => (req.url().startsWith('file://') ? req.continue() : req.abort()));
    await page.goto(`file://${html}`);
    await page.addScriptTag({ path: MERMAID });
    const blocks = [...mermaidBlocks(summary), ...mermaidBlocks(comment)];
    assert.ok(blocks.length >= 4);
    for (const [i, code] of blocks.entries()) {
      const result = await page.evaluate(
        async (code: string, id: string) => {
          const mermaid = (window as unknown as { mermaid: MermaidApi }).mermaid;
          mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
          try {
            await mermaid.parse(code);
            const { svg } = await mermaid.render(id, code);
            document.getElementById('out')!.innerHTML = svg;
            const el = document.querySelector('#out svg')!;
            return { svg, paths: el.querySelectorAll('path').length, text: el.textContent ?? '' };
          } catch (e) {
            return { error: String(e) };
          }
        },
        code,
        `chart${i}`,
      );
      assert.ok(!('error' in result), `block ${i} failed to draw: ${'error' in result ? result.error : ''}\n${code}`);
      assert.match(result.svg, /^<svg[\s>]/);
      assert.doesNotMatch(result.text, /Syntax error|Parse error/i, code);
      assert.ok(result.paths >= 1, `block ${i} has a line path: ${code}`);
      assert.match(result.text, /now/, 'the x axis ends with this run');
      if (i === 0) {
        const el = await page.$('#out svg');
        const png = Buffer.from(await el!.screenshot({ type: 'png' }));
        const file = join(dir, 'trend.png');
        writeFileSync(file, png);
        const { width, height } = pngSize(readFileSync(file));
        assert.ok(width >= 300 && height >= 200, `${width}×${height}`);
        assert.ok(png.length > 5_000, `a drawn chart, not a blank: ${png.length} bytes`);
        if (process.env['WPG_TREND_PNG']) copyFileSync(file, process.env['WPG_TREND_PNG']);
      }
    }
    await page.close();
  },
);

interface MermaidApi {
  initialize(config: object): void;
  parse(code: string): Promise<unknown>;
  render(id: string, code: string): Promise<{ svg: string }>;
}
