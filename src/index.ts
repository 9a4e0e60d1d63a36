import { run } from './main.js';

await run();
// A cache request given up on at cache-timeout still holds its socket (the library's own limit is minutes):
// the step is done, so it leaves without waiting for that.
setTimeout(() => process.exit(), 1000).unref();
