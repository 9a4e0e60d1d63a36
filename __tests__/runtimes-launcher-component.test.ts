// The WASI launcher on node, bun and deno given a WASI preview 2 component: one line naming the runtime,
// never a parse error ("expected version 01 00 00 00").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { jsRuntimes } from './helpers/measure-env.js';

const COMPONENT = resolve('__tests__/fixtures/component/hello.wasm');

describe('wasi-launcher and a component', () => {
  for (const rt of jsRuntimes) {
    test(rt.name, { skip: !rt.available && `${rt.name} is not installed` }, () => {
      const r = spawnSync(rt.argv([])[0]!, [...rt.argv([]).slice(1), '--', COMPONENT], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`cannot load .*hello\\.wasm: a component: ${rt.name} runs core modules only`));
      assert.doesNotMatch(r.stderr, /expected version|not a valid/);
    });
  }
});
