// Preloaded (--import) into every test-file process by scripts/test.mjs: when a file's process exits it
// appends one JSON line to $WPG_TEST_CPU_FILE with the file, its wall time and its CPU seconds (user + sys of
// the process and of every child it reaped: the runtimes and actions it started). CPU seconds hardly depend on
// what else the machine runs, so they are what to compare when making a file cheaper.
import { appendFileSync, readFileSync } from 'node:fs';

const out = process.env['WPG_TEST_CPU_FILE'];
// Only the processes node:test starts for a file (NODE_TEST_CONTEXT=child…), not the runner itself.
if (out && process.env['NODE_TEST_CONTEXT']?.startsWith('child') && process.argv[1]) {
  const file = process.argv[1];
  process.on('exit', () => {
    try {
      const stat = readFileSync('/proc/self/stat', 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields 3… of proc(5); clock ticks of 1/100 s
      const cpuS = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100; // utime stime cutime cstime
      appendFileSync(out, JSON.stringify({ file, wallMs: Math.round(performance.now()), cpuS }) + '\n');
    } catch {
      // not Linux: no CPU times
    }
  });
}
