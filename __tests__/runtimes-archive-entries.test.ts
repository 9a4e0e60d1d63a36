// Issue 29 item 7, the rule itself: what an unpacked runtime archive may hold (src/runtimes/archive-entries.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { unsafeArchiveEntry } from '../src/runtimes/archive-entries.js';
import { scratchDir } from './helpers/run-action.js';

/** An extraction folder with bin/tool (a regular file), plus what `make` adds; and a file outside it. */
function tree(make: (root: string, outside: string) => void): string {
  const base = scratchDir('archive-entries-');
  const root = join(base, 'root');
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', 'tool'), '#!/bin/sh\n');
  writeFileSync(join(base, 'outside'), 'not yours\n');
  make(root, join(base, 'outside'));
  return root;
}

test('regular files, folders, symlinks between them and hard links among them are taken', () => {
  const root = tree((r) => {
    mkdirSync(join(r, 'lib64'));
    writeFileSync(join(r, 'lib64', 'libx.so.0.1.0'), 'elf');
    symlinkSync('libx.so.0.1.0', join(r, 'lib64', 'libx.so.0'));
    symlinkSync('libx.so.0', join(r, 'lib64', 'libx.so'));
    symlinkSync('../lib64', join(r, 'bin', 'lib'));
    linkSync(join(r, 'bin', 'tool'), join(r, 'bin', 'tool-alias'));
  });
  assert.equal(unsafeArchiveEntry(root), undefined);
});

const refused: [string, (root: string, outside: string) => void, RegExp][] = [
  [
    'an absolute symlink out',
    (r, o) => symlinkSync(o, join(r, 'bin', 'x')),
    /^bin\/x is a symlink to .*outside, outside the archive$/,
  ],
  [
    'a relative symlink out',
    (r) => symlinkSync('../../outside', join(r, 'bin', 'x')),
    /^bin\/x is a symlink to \.\.\/\.\.\/outside, outside the archive$/,
  ],
  [
    'a symlinked folder out',
    (r) => symlinkSync('/etc', join(r, 'etc')),
    /^etc is a symlink to \/etc, outside the archive$/,
  ],
  [
    'a dangling symlink',
    (r) => symlinkSync('nowhere', join(r, 'bin', 'x')),
    /^bin\/x is a symlink to nowhere, which does not exist in the archive$/,
  ],
  [
    'a hard link to a file outside',
    (r, o) => linkSync(o, join(r, 'bin', 'x')),
    /^bin\/x is a hard link to a file outside the archive$/,
  ],
  ['a FIFO', (r) => execFileSync('mkfifo', [join(r, 'bin', 'x')]), /^bin\/x is a FIFO, not a regular file$/],
  [
    'a symlink to a device',
    (r) => symlinkSync('/dev/null', join(r, 'bin', 'x')),
    /^bin\/x is a symlink to \/dev\/null, outside the archive$/,
  ],
];
for (const [name, make, why] of refused) {
  test(`refused: ${name}, named`, () => {
    assert.match(unsafeArchiveEntry(tree(make)) ?? 'taken', why);
  });
}
