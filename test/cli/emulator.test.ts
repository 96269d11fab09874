import { createServer, Server } from 'node:net';
import { emptyHome, emulatorEnv, runMain } from './support';
import { main } from '../../cli/main';

let home: ReturnType<typeof emptyHome>;

beforeAll(() => {
  home = emptyHome();
});

afterAll(() => {
  home.remove();
});

/** Starts `emulator` in process and resolves once it has printed its URL. */
async function startEmulator(argv: readonly string[]) {
  const stop = new AbortController();
  let stdout = '';
  let stderr = '';
  const exit = main(['emulator', ...argv], {
    stdout: { write: (text) => { stdout += text; } },
    stderr: { write: (text) => { stderr += text; } },
    env: {},
    stop: stop.signal,
  });

  let url: string | undefined;
  for (let i = 0; i < 200 && !url; i++) {
    url = /^Wickr emulator listening on (http:\/\/\S+)$/m.exec(stdout)?.[1];
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    url: url ?? '',
    output: () => ({ stdout, stderr }),
    stop: async () => {
      stop.abort();
      return exit;
    },
  };
}

test('serves the networks it is given, prints how to reach it and stops when asked', async () => {
  // GIVEN an emulator with one network and the built-in key
  const emulator = await startEmulator(
    ['--port', '0', '--network', '11112222:active=7,pending=2,rejected=1,remaining=3']);
  try {
    // WHEN the tool reads the network through it
    const run = await runMain(['--network-id', '11112222'], emulatorEnv(home.path, emulator.url));

    // THEN the counts are the seeded ones
    expect(run.code).toBe(0);
    expect(run.stdout).toBe([
      'Wickr network 11112222 (us-east-1)',
      '',
      'Count      Users',
      '---------  -----',
      'Pending        2',
      'Active         7',
      'Rejected       1',
      'Remaining      3',
      'Total          9',
      '',
    ].join('\n'));
  } finally {
    // AND it stops with exit 0 once aborted, having said how to use it
    expect(await emulator.stop()).toBe(0);
  }
  expect(emulator.output()).toEqual({
    stdout: [
      `Wickr emulator listening on ${emulator.url}`,
      'Accepts access key AKIDWICKREMULATOR with secret key wickr-emulator-secret',
      'Networks:',
      '  11112222  active=7 pending=2 rejected=1 remaining=3 total=9',
      '',
      'Try it from another terminal:',
      `  AWS_ENDPOINT_URL_WICKR=${emulator.url} AWS_ACCESS_KEY_ID=AKIDWICKREMULATOR `
        + 'AWS_SECRET_ACCESS_KEY=wickr-emulator-secret \\',
      '    cdk-wickr-users-count --network-id 11112222 --region us-east-1',
      '',
      'Press Ctrl+C to stop.',
      'Wickr emulator stopped.',
      '',
    ].join('\n'),
    stderr: '',
  });
});

test('a fault for the first request is retried through', async () => {
  // GIVEN an emulator that throttles the first request only
  const emulator = await startEmulator(['--port', '0', '--fail', 'RateLimitError', '--fail-times', '1']);
  try {
    // WHEN the tool reads the default network
    const run = await runMain(['--network-id', '12345678', '--json'], emulatorEnv(home.path, emulator.url));

    // THEN the retry got the counts
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).counts).toEqual({ pending: 5, active: 40, rejected: 2, remaining: 55, total: 45 });
  } finally {
    await emulator.stop();
  }
  expect(emulator.output().stdout).toContain('\nFault: RateLimitError on the first 1 request(s)\n');
});

test('accepts only the key it is given and does not print its secret', async () => {
  // GIVEN an emulator with its own key pair
  const emulator = await startEmulator(
    ['--port', '0', '--access-key-id', 'AKIDLOCAL', '--secret-access-key', 'local-secret']);
  try {
    // WHEN the tool signs with the built-in key, then with the given one
    const env = emulatorEnv(home.path, emulator.url);
    const builtIn = await runMain(['--network-id', '12345678'], env);
    const given = await runMain(['--network-id', '12345678'], {
      ...env, AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local-secret',
    });

    // THEN only the given key is accepted
    expect(builtIn.code).toBe(3);
    expect(builtIn.stderr).toContain('failed with UnrecognizedClientException (HTTP 403');
    expect(given.code).toBe(0);
  } finally {
    await emulator.stop();
  }
  const { stdout } = emulator.output();
  expect(stdout).toContain('Accepts access key AKIDLOCAL with the secret from --secret-access-key\n');
  expect(stdout).toContain('AWS_ACCESS_KEY_ID=AKIDLOCAL AWS_SECRET_ACCESS_KEY=<secret-access-key> \\\n');
  expect(stdout).not.toContain('local-secret');
});

test('fails with exit 4 when the port is taken', async () => {
  // GIVEN a port something else listens on
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const address = taken.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    // WHEN the emulator is asked to listen there
    const run = await runMain(['emulator', '--port', String(port)], {});

    // THEN
    expect(run).toEqual({
      code: 4,
      stdout: '',
      stderr: `error: the emulator could not listen on 127.0.0.1:${port}: the port is in use; `
        + 'pick another with --port, or --port 0 for a free one\n',
    });
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});
