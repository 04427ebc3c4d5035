#!/usr/bin/env node
// Entry point of the installed command: runs the compiled CLI (npm run build makes dist/).
import('../dist/src/cli/main.js')
  .then((m) => m.main(process.argv))
  .catch((err) => {
    console.error(err);
    process.exit(2);
  });
