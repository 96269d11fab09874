import { EmulatorCommand, FailKind } from './args';
import type { Output } from './count';
import { EXIT } from './usage';
import { DEFAULT_CREDENTIALS, EmulatorFault, UsersCount, WickrEmulator } from '../emulator/wickr-emulator';

export interface EmulatorIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Aborting it stops the emulator; the executable wires it to SIGINT and SIGTERM. */
  readonly stop: AbortSignal;
}

/** Serves until `io.stop` aborts, then closes every connection. */
export async function runEmulator(command: EmulatorCommand, io: EmulatorIo): Promise<number> {
  const credentials = command.accessKeyId && command.secretAccessKey
    ? { accessKeyId: command.accessKeyId, secretAccessKey: command.secretAccessKey }
    : DEFAULT_CREDENTIALS;

  let emulator: WickrEmulator;
  try {
    emulator = await WickrEmulator.start({
      host: command.host,
      port: command.port,
      credentials: [credentials],
      networks: command.networks,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use; pick another with --port, or --port 0 for a free one'
      : (error as Error).message;
    io.stderr.write(`error: the emulator could not listen on ${command.host}:${command.port}: ${why}\n`);
    return EXIT.CONFIGURATION;
  }

  if (command.fail) {
    emulator.injectFault(toFault(command.fail), { times: command.failTimes });
  }
  io.stdout.write(describe(command, emulator, credentials === DEFAULT_CREDENTIALS));

  await new Promise<void>((resolve) => {
    if (io.stop.aborted) {
      resolve();
    }
    io.stop.addEventListener('abort', () => resolve(), { once: true });
  });
  await emulator.stop();
  io.stdout.write('Wickr emulator stopped.\n');
  return EXIT.OK;
}

function toFault(kind: FailKind): EmulatorFault {
  switch (kind) {
    case 'hang':
    case 'reset':
    case 'malformed':
      return { kind };
    default:
      return { kind: 'error', error: kind };
  }
}

/**
 * What to paste into another terminal. A secret the user chose is not echoed; the built-in one is public and
 * opens nothing but this emulator.
 */
function describe(command: EmulatorCommand, emulator: WickrEmulator, builtInKey: boolean): string {
  const url = emulator.url;
  const accessKeyId = command.accessKeyId ?? DEFAULT_CREDENTIALS.accessKeyId;
  const secret = builtInKey
    ? `secret key ${DEFAULT_CREDENTIALS.secretAccessKey}`
    : 'the secret from --secret-access-key';
  const secretInExample = builtInKey ? DEFAULT_CREDENTIALS.secretAccessKey : '<secret-access-key>';
  const networks = Object.keys(command.networks).map((id) => `  ${id}  ${describeCounts(emulator.network(id)!)}`);
  const example = Object.keys(command.networks)[0] ?? '12345678';
  const affected = command.failTimes === undefined ? 'every request' : `the first ${command.failTimes} request(s)`;
  const fault = command.fail ? [`Fault: ${command.fail} on ${affected}`] : [];
  return [
    `Wickr emulator listening on ${url}`,
    `Accepts access key ${accessKeyId} with ${secret}`,
    'Networks:',
    ...(networks.length > 0 ? networks : ['  (none)']),
    ...fault,
    '',
    'Try it from another terminal:',
    `  AWS_ENDPOINT_URL_WICKR=${url} AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretInExample} \\`,
    `    cdk-wickr-users-count --network-id ${example} --region us-east-1`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

/** The counts as the emulator serves them, `total` included. */
function describeCounts({ active, pending, rejected, remaining, total }: UsersCount): string {
  return `active=${active} pending=${pending} rejected=${rejected} remaining=${remaining} total=${total}`;
}
