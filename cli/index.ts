import { main } from './main';
import { EXIT } from './usage';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    const detail = error instanceof Error ? error.stack ?? error.message : String(error);
    process.stderr.write(`error: unexpected failure: ${detail}\n`);
    process.exitCode = EXIT.INTERNAL;
  });
