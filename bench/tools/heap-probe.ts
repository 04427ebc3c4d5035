// bench/tools/heap-probe: loaded into the firewall under test (node --expose-gc --import
// dist/bench/tools/heap-probe.js) so a benchmark can read its heap at a chosen moment: on SIGUSR2 it collects
// garbage (when gc is exposed) and writes the heap in use, external memory and RSS to HEAP_PROBE_OUT as JSON. After a
// full collection the heap holds only what is alive, so the figure per live call is steady where RSS growth is not.
// Bench only: nothing in src/ imports it.
import { writeFileSync } from 'node:fs';

const out = process.env.HEAP_PROBE_OUT;
if (out) {
  process.on('SIGUSR2', () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    writeFileSync(
      out,
      JSON.stringify({ at: Date.now(), heapUsed: m.heapUsed, external: m.external, rss: m.rss, gc: !!globalThis.gc }),
    );
  });
}
