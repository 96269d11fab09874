import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from './support';
import { parseArgs } from '../../cli/args';

const COUNT_HINT = 'Usage: cdk-wickr-users-count [count] --network-id ID [options]\n'
  + 'Run "cdk-wickr-users-count --help" for every option.\n';
const EMULATOR_HINT = 'Usage: cdk-wickr-users-count emulator [options]\n'
  + 'Run "cdk-wickr-users-count emulator --help" for every option.\n';

describe('parsing', () => {
  test('reads every count option, in both --name value and --name=value forms', () => {
    // GIVEN a command line with every option of the count command
    const argv = [
      'count', '--network-id', '12345678', '--region=us-gov-west-1', '--profile', 'ops', '--min-remaining', '10',
      '--max-pending=3', '--max-active', '0', '--max-total', '500', '--warn-only', '--json', '--dual-stack',
      '--timeout', '2.5',
    ];

    // WHEN
    const command = parseArgs(argv);

    // THEN
    expect(command).toEqual({
      command: 'count',
      networkId: '12345678',
      region: 'us-gov-west-1',
      profile: 'ops',
      conditions: { minimumRemaining: 10, maximumPending: 3, maximumActive: 0, maximumTotal: 500 },
      warnOnly: true,
      json: true,
      endpointUrl: undefined,
      useFips: false,
      useDualStack: true,
      timeoutSeconds: 2.5,
    });
  });

  test('defaults: no conditions, a table, the rule set\'s endpoint, 30 seconds', () => {
    // GIVEN only the network id
    // WHEN
    const command = parseArgs(['--network-id', '12345678']);

    // THEN
    expect(command).toEqual({
      command: 'count',
      networkId: '12345678',
      region: undefined,
      profile: undefined,
      conditions: {
        minimumRemaining: undefined, maximumPending: undefined, maximumActive: undefined, maximumTotal: undefined,
      },
      warnOnly: false,
      json: false,
      endpointUrl: undefined,
      useFips: false,
      useDualStack: false,
      timeoutSeconds: 30,
    });
  });

  test('reads the emulator\'s networks, fault and key', () => {
    // GIVEN two networks, a fault for the first two requests and a key pair
    const argv = [
      'emulator', '--port', '0', '--host', '0.0.0.0', '--network', '11112222:active=3,pending=1',
      '--network=33334444', '--fail', 'RateLimitError', '--fail-times', '2', '--access-key-id', 'AKIDLOCAL',
      '--secret-access-key', 'local-secret',
    ];

    // WHEN
    const command = parseArgs(argv);

    // THEN
    expect(command).toEqual({
      command: 'emulator',
      host: '0.0.0.0',
      port: 0,
      networks: { 11112222: { active: 3, pending: 1 }, 33334444: {} },
      fail: 'RateLimitError',
      failTimes: 2,
      accessKeyId: 'AKIDLOCAL',
      secretAccessKey: 'local-secret',
    });
  });

  test('the emulator serves network 12345678 on port 4566 by default', () => {
    // GIVEN no emulator options
    // WHEN
    const command = parseArgs(['emulator']);

    // THEN
    expect(command).toEqual({
      command: 'emulator',
      host: '127.0.0.1',
      port: 4566,
      networks: { 12345678: { active: 40, pending: 5, rejected: 2, remaining: 55 } },
      fail: undefined,
      failTimes: undefined,
      accessKeyId: undefined,
      secretAccessKey: undefined,
    });
  });
});

describe('help and version', () => {
  test('--help prints the usage with the exit codes and exits 0', async () => {
    // GIVEN / WHEN
    const run = await runMain(['--help'], {});

    // THEN
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe('Usage: cdk-wickr-users-count [count] --network-id ID [options]');
    expect(run.stdout).toContain([
      'Exit codes:',
      '  0  the counts were read and every condition held (or --warn-only was given)',
      '  1  a condition failed',
      '  2  the command line is wrong',
      '  3  the Wickr API or the network answered with an error',
      '  4  no region or no credentials could be found',
      '  70 an unexpected failure in the tool itself',
    ].join('\n'));
  });

  test('emulator --help and help emulator print the emulator\'s usage', async () => {
    // GIVEN / WHEN
    const runs = [await runMain(['emulator', '--help'], {}), await runMain(['help', 'emulator'], {})];

    // THEN
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('Usage: cdk-wickr-users-count emulator [options]');
    }
  });

  test('--version prints the package version', async () => {
    // GIVEN the package.json the tool ships with
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

    // WHEN
    const run = await runMain(['-v'], {});

    // THEN
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('bad arguments', () => {
  const countCases: [string[], string][] = [
    [[], '--network-id is required (the 8-digit id of the Wickr network)'],
    [['--network-id', '123'], '--network-id must be 8 digits, got "123"'],
    [['--network-id', '1234567a'], '--network-id must be 8 digits, got "1234567a"'],
    [['--network-id'], '--network-id needs a value'],
    [['--network-id', '--json'], '--network-id needs a value'],
    [['--network-id', '12345678', '--network-id', '87654321'], '--network-id is given twice'],
    [['--network-id', '12345678', '--min-remaining', '-1'], '--min-remaining must be a non-negative integer, got "-1"'],
    [['--network-id=12345678', '--max-total=ten'], '--max-total must be a non-negative integer, got "ten"'],
    [['--network-id', '12345678', '--max-active', '1.5'], '--max-active must be a non-negative integer, got "1.5"'],
    [['--network-id', '12345678', '--region', 'US East'], '--region must look like "us-east-1", got "US East"'],
    [['--network-id', '12345678', '--bogus'], 'unknown option --bogus'],
    [['--network-id', '12345678', 'extra'], 'unexpected argument "extra"'],
    [['--network-id', '12345678', '--json=yes'], '--json takes no value, got "yes"'],
    [['--network-id', '12345678', '--warn-only'],
      '--warn-only needs a condition (--min-remaining, --max-pending, --max-active or --max-total)'],
    [['--network-id', '12345678', '--timeout', '0'],
      '--timeout must be a number of seconds above 0 and up to 300, got "0"'],
    [['--network-id', '12345678', '--timeout', '301'],
      '--timeout must be a number of seconds above 0 and up to 300, got "301"'],
    [['--network-id', '12345678', '--endpoint-url', 'ftp://example.com'],
      '--endpoint-url must be an http or https URL, got "ftp://example.com"'],
    [['--network-id', '12345678', '--endpoint-url', 'http://127.0.0.1:4566', '--fips'],
      '--endpoint-url cannot be combined with --fips'],
  ];

  test.each(countCases)('fails with exit 2 when the arguments are %j', async (argv, message) => {
    // GIVEN / WHEN
    const run = await runMain(argv, {});

    // THEN
    expect(run).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\n${COUNT_HINT}` });
  });

  const emulatorCases: [string[], string][] = [
    [['--port', '70000'], '--port must be a port number from 0 to 65535, got "70000"'],
    [['--port', 'http'], '--port must be a port number from 0 to 65535, got "http"'],
    [['--network', '1234'], '--network must start with an 8-digit network id, got "1234"'],
    [['--network', '12345678:total=3'],
      '--network counts are active=N,pending=N,rejected=N,remaining=N (total is active + pending), '
      + 'got "total=3" in "12345678:total=3"'],
    [['--network', '12345678:active=many'], '--network active must be a non-negative integer, got "many"'],
    [['--network', '12345678', '--network', '12345678:active=1'], '--network 12345678 is given twice'],
    [['--fail', 'Boom'],
      '--fail must be one of BadRequestError, UnauthorizedError, ForbiddenError, ResourceNotFoundError, '
      + 'ValidationError, RateLimitError, InternalServerError, hang, reset, malformed, got "Boom"'],
    [['--fail-times', '2'], '--fail-times needs --fail'],
    [['--fail', 'reset', '--fail-times', '0'], '--fail-times must be a positive integer, got "0"'],
    [['--access-key-id', 'AKIDLOCAL'], '--access-key-id and --secret-access-key go together; give both or neither'],
    [['--network-id', '12345678'], 'unknown option --network-id'],
  ];

  test.each(emulatorCases)('fails with exit 2 when the emulator\'s arguments are %j', async (argv, message) => {
    // GIVEN / WHEN
    const run = await runMain(['emulator', ...argv], {});

    // THEN
    expect(run).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\n${EMULATOR_HINT}` });
  });
});
