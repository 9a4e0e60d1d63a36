// findExecutable wraps @actions/io's which: bare names on PATH, absolute and relative paths, nothing for a missing one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { findExecutable } from '../src/runtimes/find-executable.js';

test('findExecutable finds a tool on PATH, a path (relative too), and nothing for a missing or non-executable one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'find-exe-'));
  const savedPath = process.env['PATH'];
  try {
    const tool = join(dir, 'wpg-tool');
    writeFileSync(tool, '#!/bin/sh\n');
    chmodSync(tool, 0o755);
    writeFileSync(join(dir, 'wpg-plain'), 'not executable');
    process.env['PATH'] = `${dir}:${savedPath ?? ''}`;
    assert.equal(await findExecutable('wpg-tool'), tool);
    assert.equal(await findExecutable(tool), tool);
    assert.equal(await findExecutable(relative(process.cwd(), tool)), tool);
    assert.equal(await findExecutable('wpg-plain'), undefined);
    assert.equal(await findExecutable('wpg-no-such-tool'), undefined);
  } finally {
    process.env['PATH'] = savedPath;
    rmSync(dir, { recursive: true, force: true });
  }
});
