// Every relative link in the README and the docs/ pages leads somewhere: the file or folder exists, and an
// #anchor names a heading of the target page (GitHub's slugs). Links inside code blocks are not links.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';

const ROOT_PAGES = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', 'bench/README.md'];

function pages(): string[] {
  const docs = readdirSync('docs', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f));
  return [...ROOT_PAGES.filter((f) => existsSync(f)), ...docs];
}

const withoutCode = (md: string): string =>
  md.replace(/^( *)(```|~~~)[\s\S]*?^\1\2[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, title] of withoutCodeBlocks(md).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = title!
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of md.matchAll(/<a (?:name|id)="([^"]+)"/g)) out.add(id!);
  return out;
}

const withoutCodeBlocks = (md: string): string => md.replace(/^( *)(```|~~~)[\s\S]*?^\1\2[^\n]*$/gm, '');

/** Relative link targets of a page: inline links and images, HTML href/src. */
function links(md: string): string[] {
  const text = withoutCode(md);
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const html = [...text.matchAll(/\b(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
  return [...inline, ...html].filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

test('every relative link in README.md and docs/**/*.md resolves to a file and, with #anchor, a heading', () => {
  const broken: string[] = [];
  const checked = { files: 0, links: 0 };
  for (const page of pages()) {
    checked.files++;
    const md = readFileSync(page, 'utf8');
    for (const link of links(md)) {
      checked.links++;
      const [path, anchor] = link.split('#', 2) as [string, string | undefined];
      const target = path === '' ? page : normalize(join(dirname(page), decodeURIComponent(path)));
      if (!existsSync(target)) {
        broken.push(`${page}: ${link} (no ${target})`);
        continue;
      }
      if (anchor === undefined || anchor === '' || statSync(target).isDirectory() || !target.endsWith('.md')) continue;
      if (!anchors(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor).toLowerCase()))
        broken.push(`${page}: ${link} (no heading #${anchor} in ${target})`);
    }
  }
  assert.ok(checked.links > 50, `found only ${checked.links} links in ${checked.files} pages: is the parser broken?`);
  assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
});

test('the anchor rule matches GitHub on the headings these pages use', () => {
  const ids = anchors(
    "# wasm-perf-gate\n## `example-time.ts` — the README's first command, timed\n## Try it (two commands, a fresh clone)\n## Runtimes\n## Runtimes\n```sh\n# not a heading\n```\n",
  );
  assert.deepEqual(
    [...ids],
    [
      'wasm-perf-gate',
      'example-timets--the-readmes-first-command-timed',
      'try-it-two-commands-a-fresh-clone',
      'runtimes',
      'runtimes-1',
    ],
  );
});
