// Draws the PR comment the product writes, as GitHub would show it, for the README:
//   npx tsx scripts/render-comment.ts [--report report.json] [--name comment-example]
// Without --report it runs `npm run example`'s command once (the A/A run of the bundled examples) with
// --json. The comment Markdown comes from the product's own renderComment; `marked` turns it into HTML,
// GitHub-like CSS styles it (folded sections opened), and Debian's chromium (puppeteer-core) screenshots it. Writes
// docs/<name>.md (the Markdown) and docs/<name>.png (the picture). Nothing is fetched from the network;
// emoji need a colour emoji font (Debian: fonts-noto-color-emoji).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { marked } from 'marked';
import puppeteer from 'puppeteer-core';
import { commentMarker, renderComment } from '../src/report/comment-markdown.js';
import type { RunReport } from '../src/report/types.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SUMMARY_URL = 'https://github.com/OWNER/REPO/actions/runs/1';

const CSS = `
body { margin: 0; background: #fff; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
.comment { width: 860px; margin: 16px; border: 1px solid #d1d9e0; border-radius: 6px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e; border-radius: 6px 6px 0 0; }
.head b { color: #1f2328; }
.body { padding: 8px 16px 16px; }
h1, h2, h3 { font-weight: 600; margin: 16px 0 8px; } h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; } h3 { font-size: 1.25em; }
table { border-collapse: collapse; margin: 8px 0 16px; display: block; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; background: rgba(129,139,152,.12); padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; } pre code { background: none; padding: 0; }
details summary { cursor: pointer; } a { color: #0969da; text-decoration: none; } p { margin: 0 0 12px; }`;

function exampleReport(): RunReport {
  const dir = mkdtempSync(join(tmpdir(), 'wpg-comment-'));
  try {
    const script: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.example;
    const argv = [...script.split(' ').slice(1), '--json', join(dir, 'report.json')];
    const r = spawnSync(process.execPath, argv, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`the example run exited ${r.status}`);
    return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function screenshot(html: string, png: string): Promise<void> {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 900, height: 400, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    const box = await page.$('.comment');
    if (!box) throw new Error('no .comment element');
    await box.screenshot({ path: png as `${string}.png` });
  } finally {
    await browser.close();
  }
}

const { values } = parseArgs({
  options: { report: { type: 'string' }, name: { type: 'string', default: 'comment-example' } },
});
const report = values.report ? (JSON.parse(readFileSync(values.report, 'utf8')) as RunReport) : exampleReport();
const markdown = renderComment(report, { marker: commentMarker('wasm-perf-gate-baseline'), summaryUrl: SUMMARY_URL });
writeFileSync(`docs/${values.name}.md`, markdown);
// Folded sections are drawn open, as after a reader's click, so the picture shows the tables.
const body = (await marked.parse(markdown, { gfm: true })).replaceAll('<details>', '<details open>');
const html = `<!doctype html><meta charset="utf-8"><style>${CSS}</style>
<div class="comment"><div class="head"><b>github-actions</b> <span>bot</span> commented</div><div class="body">${body}</div></div>`;
await screenshot(html, `docs/${values.name}.png`);
console.log(`wrote docs/${values.name}.md and docs/${values.name}.png`);
