// Runs one WASI preview1 module under the JS runtime that loads this file (node ≥20, bun, deno ≥2.8).
//   <js-runtime> [flags] wasi-launcher.mjs [--dir HOST]... [--env K=V]... [--timings FILE] -- MODULE.wasm [ARGS...]
// A module importing bench.start/bench.end (sightglass's measured region, both () -> ()) gets them here:
// the time from each start to the next end, summed, is written as regionMs; markers out of order end the run.
// Exit code: the guest's proc_exit(n) → n; `_start` returns → 0; wasm trap → 134 (like wasmtime/wasmedge);
// module fails to compile/instantiate or has no _start → 1 ("wasi-launcher: cannot load …" on stderr);
// a runtime error that is not a trap → 1 ("wasi-launcher: runtime error: …"); bad launcher usage → 2.
// Plain JavaScript with node: built-ins only, so it runs unchanged and unbundled on all three runtimes.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import process from 'node:process';
import v8 from 'node:v8';

const TRAP_EXIT = 134;
const LOAD_FAILURE_EXIT = 1;
const USAGE_EXIT = 2;

function usage(problem) {
  process.stderr.write(
    `wasi-launcher: ${problem}\nusage: wasi-launcher.mjs [--dir HOST]... [--env K=V]... [--timings FILE] -- MODULE.wasm [ARGS...]\n`,
  );
  process.exit(USAGE_EXIT);
}

// `--` ends the options; it is optional because bun drops a `--` that directly follows the script path.
function parseArgs(argv) {
  const opts = { dirs: [], env: {}, timings: undefined, module: undefined, args: [], invoke: undefined };
  let i = 0;
  for (; i < argv.length && argv[i] !== '--' && argv[i].startsWith('--'); i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) usage(`${flag} needs a value`);
    if (flag === '--dir') opts.dirs.push(value);
    else if (flag === '--timings') opts.timings = value;
    else if (flag === '--invoke') opts.invoke = { ...opts.invoke, name: value };
    else if (flag === '--params') opts.invoke = { ...opts.invoke, params: value === '-' ? [] : value.split(',') };
    else if (flag === '--iterations') opts.invoke = { ...opts.invoke, iterations: Number(value) };
    else if (flag === '--env') {
      const eq = value.indexOf('=');
      if (eq <= 0) usage(`--env expects K=V, got "${value}"`);
      opts.env[value.slice(0, eq)] = value.slice(eq + 1);
    } else usage(`unknown option "${flag}"`);
  }
  if (argv[i] === '--') i++;
  opts.module = argv[i];
  if (opts.module === undefined) usage('missing MODULE.wasm');
  opts.args = argv.slice(i + 1);
  if (opts.invoke && (!opts.invoke.name || !(opts.invoke.iterations >= 1)))
    usage('--invoke needs --iterations N (N >= 1)');
  return opts;
}

// node and deno print an ExperimentalWarning when node:wasi loads; it would pollute the measured stderr.
function silenceWasiWarning() {
  const emit = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0]?.type ?? warning?.name);
    if (type === 'ExperimentalWarning' && /WASI/.test(String(warning?.message ?? warning))) return;
    return emit.call(this, warning, ...rest);
  };
}

// Measured inside the process; written from an 'exit' handler because bun's proc_exit calls process.exit itself.
function recordTimings(file, phases) {
  process.on('exit', () => {
    const now = performance.now();
    if (phases.executeStart !== undefined && phases.executeMs === undefined)
      phases.executeMs = now - phases.executeStart;
    const out = {};
    for (const key of ['compileMs', 'instantiateMs', 'executeMs', 'regionMs'])
      if (phases[key] !== undefined) out[key] = phases[key];
    // The whole wasm work inside the process, from reading the module to the guest's exit: the phases
    // should account for nearly all of it (only the file read lies outside them).
    if (phases.loadStart !== undefined) out.totalMs = (phases.executeEnd ?? now) - phases.loadStart;
    if (typeof process.resourceUsage === 'function') {
      const ru = process.resourceUsage();
      if (ru.maxRSS > 0) out.peakRssBytes = ru.maxRSS * 1024;
      out.userMs = ru.userCPUTime / 1000;
      out.sysMs = ru.systemCPUTime / 1000;
      // Signs of a disturbed run (measure/disturbance.ts): preemptions, and the core it ended on.
      out.involuntaryContextSwitches = ru.involuntaryContextSwitches;
    }
    const cpu = lastCpu();
    if (cpu !== undefined) out.lastCpu = cpu;
    try {
      writeFileSync(file, JSON.stringify(out));
    } catch (e) {
      process.stderr.write(`wasi-launcher: cannot write timings to ${file}: ${e.message}\n`);
    }
  });
}

// Field 39 of /proc/self/stat: the CPU the process last ran on (Linux; the name in field 2 may hold spaces).
function lastCpu() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const cpu = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[36]);
    return Number.isInteger(cpu) ? cpu : undefined;
  } catch {
    return undefined;
  }
}

// Stack exhaustion surfaces as RangeError in V8; both are traps from the guest's point of view.
function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && /call stack/i.test(e.message));
}

// node/deno expose getImportObject(); bun's polyfill has getImports(module) / wasiImport instead.
function importsFor(wasi, module) {
  if (typeof wasi.getImportObject === 'function') return wasi.getImportObject();
  if (typeof wasi.getImports === 'function') return wasi.getImports(module);
  return { wasi_snapshot_preview1: wasi.wasiImport };
}

// Each step names what failed, so the report can say "could not load" rather than "exited with code 1".
function cannotLoad(opts, reason) {
  process.stderr.write(`wasi-launcher: cannot load ${opts.module}: ${reason}\n`);
  process.exitCode = LOAD_FAILURE_EXIT;
  return undefined;
}

const jsRuntimeName = () =>
  process.versions.bun !== undefined ? 'bun' : typeof globalThis.Deno !== 'undefined' ? 'deno' : 'node';

const oneLine = (e) => String(e?.message ?? e).split('\n')[0];

/** A WASI command exports `_start`; a reactor (library) exports `_initialize` and functions instead. */
function missingStart(module) {
  const exports = WebAssembly.Module.exports(module);
  if (exports.some((e) => e.name === '_start' && e.kind === 'function')) return undefined;
  const reactor = exports.some((e) => e.name === '_initialize')
    ? ' (a reactor/library module: it exports _initialize)'
    : '';
  return `it exports no _start function${reactor}; build it as a WASI command (a program with main)`;
}

/** bench.start/bench.end: performance.now() around the region, about 0.1 µs a marker. */
function benchMarkers(phases) {
  let openedAt;
  const misuse = (what) => {
    const e = new Error(what);
    e.benchMarker = true;
    return e;
  };
  phases.regionCheck = () =>
    openedAt === undefined ? undefined : 'bench.start was called without a matching bench.end before the program ended';
  return {
    start() {
      if (openedAt !== undefined) throw misuse('bench.start was called twice without bench.end between them');
      openedAt = performance.now();
    },
    end() {
      const now = performance.now();
      if (openedAt === undefined) throw misuse('bench.end was called without a bench.start before it');
      phases.regionMs = (phases.regionMs ?? 0) + (now - openedAt);
      openedAt = undefined;
    },
  };
}

const importsMarkers = (module) => WebAssembly.Module.imports(module).some((i) => i.module === 'bench');

async function load(opts, phases) {
  // WASI set-up first: it is the runtime's start-up, not one of the module's phases.
  const { WASI } = await import('node:wasi');
  const preopens = Object.fromEntries(opts.dirs.map((d) => [d, d]));
  let wasi;
  try {
    wasi = new WASI({
      version: 'preview1',
      args: [basename(opts.module), ...(opts.invoke ? [] : opts.args)],
      env: opts.env,
      preopens,
      returnOnExit: true,
    });
  } catch (e) {
    return cannotLoad(opts, `WASI set-up failed: ${oneLine(e)}`);
  }
  phases.loadStart = performance.now();
  let bytes;
  try {
    bytes = readFileSync(opts.module);
  } catch (e) {
    return cannotLoad(opts, `cannot read it: ${oneLine(e)}`);
  }
  // A component-model binary (version 0x0d, layer 1) is not a parse error but a different kind of program.
  if (bytes.length >= 8 && bytes[6] === 1 && bytes[7] === 0 && bytes[4] !== 1)
    return cannotLoad(opts, `a component: ${jsRuntimeName()} runs core modules only`);
  let t = performance.now();
  let module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (e) {
    return cannotLoad(opts, `not a valid WebAssembly module (truncated or corrupt?): ${oneLine(e)}`);
  }
  phases.compileMs = performance.now() - t;
  const noStart = opts.invoke ? undefined : missingStart(module);
  if (noStart) return cannotLoad(opts, noStart);
  t = performance.now();
  let imports = {};
  try {
    // bun's throws when the module imports nothing from WASI (a kernel may well not): it needs none then.
    const needsWasi = WebAssembly.Module.imports(module).some((i) => i.module.startsWith('wasi_'));
    imports = needsWasi ? importsFor(wasi, module) : {};
    if (importsMarkers(module)) imports = { ...imports, bench: benchMarkers(phases) };
    const instance = await WebAssembly.instantiate(module, imports);
    phases.instantiateMs = performance.now() - t;
    return { wasi, instance };
  } catch (e) {
    return cannotLoad(opts, `cannot instantiate it: ${unknownImport(module, imports) ?? oneLine(e)}`);
  }
}

/** Names the first import WASI does not provide (engines word this differently, some not at all). */
function unknownImport(module, provided) {
  const missing = WebAssembly.Module.imports(module).find((i) => !(i.name in (provided[i.module] ?? {})));
  return (
    missing && `unknown import ${missing.module}::${missing.name} (${missing.kind}): WASI preview1 does not provide it`
  );
}

// An exported-function kernel: `_initialize` first (a reactor's constructors), then the export `iterations`
// times in this instance; the calls together are the region. The last call's result is printed on stdout,
// where `expect-result` checks it.
function invoke({ wasi, instance }, phases, spec, args) {
  const fn = instance.exports[spec.name];
  if (typeof fn !== 'function') return cannotLoad(opts, `it exports no function ${spec.name}`);
  const values = args.map((a, i) => (spec.params[i] === 'i64' ? BigInt(a) : Number(a)));
  phases.executeStart = performance.now();
  try {
    if (typeof instance.exports._initialize === 'function') {
      // node's initialize also hands WASI the memory (a reactor's constructors may call WASI)
      const viaWasi = typeof wasi.initialize === 'function' && typeof instance.exports._start !== 'function';
      if (viaWasi && instance.exports.memory instanceof WebAssembly.Memory) wasi.initialize(instance);
      else instance.exports._initialize();
    }
    let result;
    const t = performance.now();
    for (let i = 0; i < spec.iterations; i++) result = fn(...values);
    phases.regionMs = performance.now() - t;
    phases.executeEnd = performance.now();
    phases.executeMs = phases.executeEnd - phases.executeStart;
    if (result !== undefined) process.stdout.write(`${result}\n`);
    process.exitCode = 0;
  } catch (e) {
    phases.executeMs = performance.now() - phases.executeStart;
    if (isTrap(e)) {
      process.stderr.write(`wasm trap: ${e.message}\n`);
      process.exitCode = TRAP_EXIT;
    } else {
      process.stderr.write(`wasi-launcher: runtime error: ${oneLine(e)}\n`);
      process.exitCode = LOAD_FAILURE_EXIT;
    }
  }
}

function run({ wasi, instance }, phases) {
  phases.executeStart = performance.now();
  try {
    const code = wasi.start(instance);
    phases.executeEnd = performance.now();
    phases.executeMs = phases.executeEnd - phases.executeStart;
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (e) {
    phases.executeMs = performance.now() - phases.executeStart;
    if (e?.benchMarker) {
      process.stderr.write(`wasi-launcher: unbalanced bench markers: ${e.message}\n`);
      process.exitCode = LOAD_FAILURE_EXIT;
    } else if (isTrap(e)) {
      process.stderr.write(`wasm trap: ${e.message}\n`);
      process.exitCode = TRAP_EXIT;
    } else {
      process.stderr.write(`wasi-launcher: runtime error: ${oneLine(e)}\n${e?.stack ?? ''}\n`);
      process.exitCode = LOAD_FAILURE_EXIT;
    }
  }
}

// node:wasi's imports are V8 "fast API calls"; a GC started inside one (e.g. by the external-memory
// accounting after the guest grew its memory) corrupts the heap and node segfaults — nodejs/node#46777,
// open in node 20 and 22 (seen here: a program touching 64 MiB exits 139). Without fast calls the WASI
// imports take the regular call path. Set before node:wasi is loaded and any wrapper is compiled.
function avoidFastApiCallCrash() {
  if (process.versions.bun === undefined && typeof globalThis.Deno === 'undefined')
    v8.setFlagsFromString('--no-turbo-fast-api-calls');
}

// A region still open when the program ends is as wrong as an end without a start (bun exits from proc_exit).
function checkRegionAtExit(phases) {
  process.on('exit', () => {
    const problem = phases.regionCheck?.();
    if (problem === undefined || (process.exitCode ?? 0) !== 0) return;
    process.stderr.write(`wasi-launcher: unbalanced bench markers: ${problem}\n`);
    process.exitCode = LOAD_FAILURE_EXIT;
  });
}

const opts = parseArgs(process.argv.slice(2));
const phases = {};
checkRegionAtExit(phases);
avoidFastApiCallCrash();
silenceWasiWarning();
if (opts.timings) recordTimings(opts.timings, phases);
const loaded = await load(opts, phases);
if (loaded && opts.invoke) invoke(loaded, phases, opts.invoke, opts.args);
else if (loaded) run(loaded, phases);
