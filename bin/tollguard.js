#!/usr/bin/env node
// Entry point of the installed command: runs the compiled CLI (npm run build makes dist/). `start` is first run
// again with V8's helper threads sized for the machine (dist/src/cli/launch.js says why).
import('../dist/src/cli/launch.js')
  .then((l) => l.relaunch(process.argv) || import('../dist/src/cli/main.js').then((m) => m.main(process.argv)))
  .catch((err) => {
    console.error(err);
    process.exit(2);
  });
