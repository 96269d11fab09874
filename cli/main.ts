import { version } from '../package.json';
import { parseArgs, UsageError } from './args';
import { Output, runCount } from './count';
import { runEmulator } from './emulator';
import { Environment } from './shared-config';
import { COUNT_USAGE, EMULATOR_USAGE, EXIT } from './usage';

export interface MainIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Region, profile, credentials and endpoint overrides are read from here, not from `process.env`. */
  readonly env: Environment;
  /** Stops a running `emulator` command. @default SIGINT or SIGTERM */
  readonly stop?: AbortSignal;
}

/** Runs the tool on `argv` (without the node and script paths) and resolves to the exit code. */
export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  let command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      const usage = error.topic === 'emulator' ? EMULATOR_USAGE : COUNT_USAGE;
      const help = `cdk-wickr-users-count ${error.topic === 'emulator' ? 'emulator ' : ''}--help`;
      io.stderr.write(`error: ${error.message}\n${usage.split('\n')[0]}\nRun "${help}" for every option.\n`);
      return EXIT.USAGE;
    }
    throw error;
  }

  switch (command.command) {
    case 'help':
      io.stdout.write(command.topic === 'emulator' ? EMULATOR_USAGE : COUNT_USAGE);
      return EXIT.OK;
    case 'version':
      io.stdout.write(`${version}\n`);
      return EXIT.OK;
    case 'emulator':
      return runEmulator(command, { ...io, stop: io.stop ?? untilSignal() });
    case 'count':
      return runCount(command, io);
  }
}

/** Aborts on the first SIGINT or SIGTERM; handlers exist only while an emulator runs, so Ctrl+C still ends a count. */
function untilSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
