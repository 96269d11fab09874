import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { emptyHome, emulatorEnv, runMain } from './support';
import { WickrEmulator, WickrErrorName } from '../../emulator/wickr-emulator';

const NETWORK = '12345678';
const TABLE = [
  'Wickr network 12345678 (us-east-1)',
  '',
  'Count      Users',
  '---------  -----',
  'Pending        5',
  'Active        40',
  'Rejected       2',
  'Remaining     55',
  'Total         45',
  '',
].join('\n');

let emulator: WickrEmulator;
let home: ReturnType<typeof emptyHome>;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await WickrEmulator.start({
    networks: { [NETWORK]: { active: 40, pending: 5, rejected: 2, remaining: 55 } },
  });
  home = emptyHome();
  env = emulatorEnv(home.path, emulator.url);
});

afterAll(async () => {
  await emulator.stop();
  home.remove();
});

afterEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

describe('reading the counts', () => {
  test('prints the five counts as a table and exits 0', async () => {
    // GIVEN an emulated network with 40 active, 5 pending, 2 rejected and 55 remaining users
    // WHEN the tool reads it without conditions
    const run = await runMain(['--network-id', NETWORK], env);

    // THEN
    expect(run).toEqual({ code: 0, stdout: TABLE, stderr: '' });
  });

  test('prints JSON with --json', async () => {
    // GIVEN the same network
    // WHEN the tool reads it with --json and the explicit count command
    const run = await runMain(['count', '--network-id', NETWORK, '--json'], env);

    // THEN
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      networkId: NETWORK,
      region: 'us-east-1',
      counts: { pending: 5, active: 40, rejected: 2, remaining: 55, total: 45 },
    });
    expect(run.stdout).toBe(`${JSON.stringify(JSON.parse(run.stdout), undefined, 2)}\n`);
  });

  test('signs one GET with the region and the access key from the environment', async () => {
    // GIVEN a region and a session token in the environment
    const withToken = { ...env, AWS_REGION: 'ca-central-1', AWS_SESSION_TOKEN: 'token-from-env' };

    // WHEN the tool reads the network
    const run = await runMain(['--network-id', NETWORK], withToken);

    // THEN exactly one request reached the emulator, signed for that region with those credentials
    expect(run.code).toBe(0);
    expect(emulator.requests.map(({ method, path, region, accessKeyId, sessionToken, status }) =>
      ({ method, path, region, accessKeyId, sessionToken, status }))).toEqual([{
      method: 'GET',
      path: `/networks/${NETWORK}/users/count`,
      region: 'ca-central-1',
      accessKeyId: 'AKIDWICKREMULATOR',
      sessionToken: 'token-from-env',
      status: 200,
    }]);
  });

  test('--region wins over AWS_REGION and --endpoint-url over AWS_ENDPOINT_URL_WICKR', async () => {
    // GIVEN an environment whose endpoint override points nowhere useful
    const misdirected = { ...env, AWS_ENDPOINT_URL_WICKR: 'http://127.0.0.1:9' };

    // WHEN the flags name the region and the emulator
    const run = await runMain(
      ['--network-id', NETWORK, '--region', 'ap-southeast-2', '--endpoint-url', emulator.url], misdirected);

    // THEN
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Wickr network 12345678 (ap-southeast-2)');
    expect(emulator.requests.map((request) => request.region)).toEqual(['ap-southeast-2']);
  });

  test('takes AWS_DEFAULT_REGION when AWS_REGION is not set', async () => {
    // GIVEN only AWS_DEFAULT_REGION
    const { AWS_REGION: _unused, ...rest } = env;

    // WHEN
    const run = await runMain(['--network-id', NETWORK], { ...rest, AWS_DEFAULT_REGION: 'ap-northeast-1' });

    // THEN
    expect(run.code).toBe(0);
    expect(emulator.requests.map((request) => request.region)).toEqual(['ap-northeast-1']);
  });

  test('takes the region and credentials of the chosen profile from the shared files', async () => {
    // GIVEN a home with a config file and a credentials file for profile "wickr-admin", and no AWS variables
    const profileHome = emptyHome();
    try {
      mkdirSync(join(profileHome.path, '.aws'));
      writeFileSync(join(profileHome.path, '.aws', 'config'), [
        '[default]',
        'region = eu-west-1',
        '[profile wickr-admin]  ; the account that owns the network',
        'region = ap-southeast-1',
        's3 =',
        '  region = us-west-2',
        '',
      ].join('\n'));
      writeFileSync(join(profileHome.path, '.aws', 'credentials'), [
        '[wickr-admin]',
        'aws_access_key_id = AKIDWICKREMULATOR',
        'aws_secret_access_key = wickr-emulator-secret',
        'aws_session_token = token-from-file',
        '',
      ].join('\n'));
      const fileEnv = {
        HOME: profileHome.path, AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL_WICKR: emulator.url,
      };

      // WHEN the profile is chosen with --profile
      const run = await runMain(['--network-id', NETWORK, '--profile', 'wickr-admin'], fileEnv);

      // THEN the request is signed for the profile's region with the profile's keys
      expect(run.code).toBe(0);
      expect(emulator.requests.map(({ region, sessionToken }) => ({ region, sessionToken })))
        .toEqual([{ region: 'ap-southeast-1', sessionToken: 'token-from-file' }]);
    } finally {
      profileHome.remove();
    }
  });
  test('honours AWS_PROFILE and AWS_CONFIG_FILE for the region and the credentials', async () => {
    // GIVEN a config file outside the home directory, whose profile "ops" holds a region and keys
    const configHome = emptyHome();
    try {
      const configPath = join(configHome.path, 'wickr-config');
      writeFileSync(configPath, [
        '[profile ops]',
        'region = eu-central-1',
        'aws_access_key_id = AKIDWICKREMULATOR',
        'aws_secret_access_key = wickr-emulator-secret',
        '',
      ].join('\n'));
      const fileEnv = {
        HOME: home.path,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_WICKR: emulator.url,
        AWS_CONFIG_FILE: configPath,
        AWS_PROFILE: 'ops',
      };

      // WHEN the tool runs with neither --region nor --profile
      const run = await runMain(['--network-id', NETWORK], fileEnv);

      // THEN the request is signed for the profile's region
      expect(run.code).toBe(0);
      expect(emulator.requests.map(({ region, accessKeyId }) => ({ region, accessKeyId })))
        .toEqual([{ region: 'eu-central-1', accessKeyId: 'AKIDWICKREMULATOR' }]);
    } finally {
      configHome.remove();
    }
  });
});

describe('the capacity guard', () => {
  test('passes when remaining is above the floor', async () => {
    // GIVEN 55 users remaining
    // WHEN the floor is 54
    const run = await runMain(['--network-id', NETWORK, '--min-remaining', '54'], env);

    // THEN
    expect(run).toEqual({
      code: 0,
      stdout: `${TABLE}\nGuard (ENFORCE): passed\n`
        + 'Wickr network 12345678 (us-east-1) passed the capacity check: 55 users remaining (at least 54 required).\n',
      stderr: '',
    });
  });

  test('passes when remaining is exactly at the floor', async () => {
    // GIVEN 55 users remaining
    // WHEN the floor is 55
    const run = await runMain(['--network-id', NETWORK, '--min-remaining', '55', '--json'], env);

    // THEN
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).guard).toEqual({
      mode: 'ENFORCE',
      passed: true,
      message: 'Wickr network 12345678 (us-east-1) passed the capacity check: '
        + '55 users remaining (at least 55 required).',
    });
  });

  test('fails when remaining is below the floor, with the handler\'s wording, and exits 1', async () => {
    // GIVEN 55 users remaining
    // WHEN the floor is 56
    const run = await runMain(['--network-id', NETWORK, '--min-remaining', '56'], env);

    // THEN
    expect(run).toEqual({
      code: 1,
      stdout: `${TABLE}\nGuard (ENFORCE): failed\n`,
      stderr: 'error: Wickr network 12345678 (us-east-1) has 55 users remaining; this check requires at least 56.\n',
    });
  });

  test('fails when several ceilings are exceeded, naming each one', async () => {
    // GIVEN 5 pending, 40 active and 45 in total
    // WHEN the ceilings are just below those, and one is just at its count
    const run = await runMain(
      ['--network-id', NETWORK, '--max-pending', '4', '--max-active', '40', '--max-total', '44', '--json'], env);

    // THEN
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).guard).toEqual({
      mode: 'ENFORCE',
      passed: false,
      message: 'Wickr network 12345678 (us-east-1) has 5 pending users; this check allows at most 4. '
        + 'Wickr network 12345678 (us-east-1) has 45 users in total; this check allows at most 44.',
    });
    expect(run.stderr).toBe(`error: ${JSON.parse(run.stdout).guard.message}\n`);
  });

  test('only warns and exits 0 with --warn-only', async () => {
    // GIVEN 55 users remaining
    // WHEN the floor is 100 in warn-only mode
    const run = await runMain(['--network-id', NETWORK, '--min-remaining', '100', '--warn-only'], env);

    // THEN
    expect(run).toEqual({
      code: 0,
      stdout: `${TABLE}\nGuard (WARN): failed\n`,
      stderr: 'warning: Wickr network 12345678 (us-east-1) has 55 users remaining; this check requires at least 100.\n',
    });
  });
});

describe('errors from the API', () => {
  const where = 'Wickr network 12345678 (us-east-1): GetUsersCount failed with';
  const cases: [WickrErrorName, string][] = [
    ['BadRequestError',
      `${where} BadRequestError (HTTP 400, "The request was invalid."). `
      + 'The service rejected the request as malformed; check the network id and the region.'],
    ['UnauthorizedError',
      `${where} UnauthorizedError (HTTP 401, "The request is not authenticated."). `
      + 'The credentials of the caller were not accepted; check that they are valid and have not expired.'],
    ['ForbiddenError',
      `${where} ForbiddenError (HTTP 403, "You are not authorized to access this network."). `
      + 'The caller needs wickr:GetUsersCount on arn:aws:wickr:us-east-1:<account>:network/12345678.'],
    ['ResourceNotFoundError',
      `${where} ResourceNotFoundError (HTTP 404, "The network was not found."). `
      + 'There is no network 12345678 in us-east-1; check the network id and that the region is the network\'s '
      + 'own region.'],
    ['ValidationError',
      `${where} ValidationError (HTTP 422, "The request failed validation."). `
      + 'Reasons: networkId: must be exactly 8 digits. Correct the network id or the region.'],
  ];

  test.each(cases)('fails with exit 3 when the service answers %s', async (error, message) => {
    // GIVEN the emulator answers every request with the error
    emulator.injectFault({
      kind: 'error',
      error,
      ...(error === 'ValidationError' ? { reasons: [{ field: 'networkId', reason: 'must be exactly 8 digits' }] } : {}),
    });

    // WHEN
    const run = await runMain(['--network-id', NETWORK, '--min-remaining', '1'], env);

    // THEN the message is the handler's, word for word, and nothing reaches stdout
    expect(run).toEqual({ code: 3, stdout: '', stderr: `error: ${message}\n` });
  });

  const noTimeLeft = 'No time was left before the deadline for another attempt.';
  const retried: [WickrErrorName, (attempts: number) => string][] = [
    ['RateLimitError', (attempts) =>
      `${where} RateLimitError (HTTP 429, "Rate exceeded."). Throttled after ${attempts} attempts `
      + `(retried ${attempts - 1} times); retry later or allow a longer timeout for more retries. ${noTimeLeft}`],
    ['InternalServerError', (attempts) =>
      `${where} InternalServerError (HTTP 500, "An internal error occurred."). The service kept failing after `
      + `${attempts} attempts (retried ${attempts - 1} times); retry later, and contact AWS Support if it persists. `
      + noTimeLeft],
  ];

  test.each(retried)('fails with exit 3 when the service answers %s until --timeout', async (error, message) => {
    // GIVEN the emulator answers every request with the error
    emulator.injectFault({ kind: 'error', error });
    const deadline = Date.now() + 1000;

    // WHEN the tool may spend one second
    const run = await runMain(['--network-id', NETWORK, '--min-remaining', '1', '--timeout', '1'], env);

    // THEN it retried until --timeout ran out, and the message counts the calls the emulator received
    const calls = emulator.requests;
    expect(run).toEqual({ code: 3, stdout: '', stderr: `error: ${message(calls.length)}\n` });
    expect({
      retried: calls.length >= 2,
      lastCallInTheFinalHalfSecond: deadline - calls[calls.length - 1].receivedAt <= 500,
      callsAfterTheDeadline: calls.filter((call) => call.receivedAt > deadline).length,
      endedAfterTheDeadline: Date.now() > deadline,
    }).toEqual({
      retried: true,
      lastCallInTheFinalHalfSecond: true,
      callsAfterTheDeadline: 0,
      endedAfterTheDeadline: false,
    });
  });

  test('fails with exit 3 when the secret key is wrong', async () => {
    // GIVEN a secret key the emulator does not know
    // WHEN
    const run = await runMain(['--network-id', NETWORK], { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' });

    // THEN
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: Wickr network 12345678 (us-east-1): GetUsersCount failed with InvalidSignatureException '
        + '(HTTP 403, "The request signature we calculated does not match the signature you provided. Check your '
        + 'AWS Secret Access Key and signing method. Consult the service documentation for details."). '
        + 'The request signature did not match; check the secret access key of the caller and the clock of the '
        + 'machine that signs.\n',
    });
  });

  test('fails with exit 3 when the network does not exist', async () => {
    // GIVEN no network 87654321 in the emulator
    // WHEN
    const run = await runMain(['--network-id', '87654321'], env);

    // THEN
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: Wickr network 87654321 (us-east-1): GetUsersCount failed with ResourceNotFoundError (HTTP 404, '
        + '"Network 87654321 was not found."). There is no network 87654321 in us-east-1; check the network id and '
        + 'that the region is the network\'s own region.\n',
    });
  });

  test('fails with exit 3 when the answer is not a users count', async () => {
    // GIVEN a 200 whose body is a web page
    emulator.injectFault({ kind: 'malformed' });

    // WHEN
    const run = await runMain(['--network-id', NETWORK], env);

    // THEN
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: Wickr network 12345678 (us-east-1): GetUsersCount answered HTTP 200, but the body is not JSON: '
        + '<html>oops\n',
    });
  });

  test('fails with exit 3 within --timeout when nothing listens at the endpoint', async () => {
    // GIVEN a port that was free a moment ago
    const port = await freePort();
    const deadline = Date.now() + 1000;

    // WHEN the tool may spend one second
    const endpoint = `http://127.0.0.1:${port}`;
    const run = await runMain(['--network-id', NETWORK, '--endpoint-url', endpoint, '--timeout', '1'], env);

    // THEN every attempt was refused, and retried until --timeout ran out (a refused connection leaves no log to
    // count, so the count is read from the message and checked to be a retry)
    const attempts = Number(/ after (\d+) attempts\./.exec(run.stderr)?.[1]);
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr: `error: Wickr network 12345678 (us-east-1): GetUsersCount could not reach 127.0.0.1:${port} `
        + `(ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}) after ${attempts} attempts. Check that `
        + `127.0.0.1:${port} is reachable from where this runs (from a VPC, through a NAT gateway) or allow a longer `
        + 'timeout.\n',
    });
    const endedAt = Date.now();
    expect({
      retried: attempts >= 2,
      endedInTheFinalHalfSecond: deadline - endedAt <= 500,
      endedAfterTheDeadline: endedAt > deadline,
    }).toEqual({ retried: true, endedInTheFinalHalfSecond: true, endedAfterTheDeadline: false });
  });

  test('fails with exit 3 within --timeout when the service never answers', async () => {
    // GIVEN the emulator accepts requests and never answers
    emulator.injectFault({ kind: 'hang' });

    // WHEN the tool may spend one second
    const run = await runMain(['--network-id', NETWORK, '--timeout', '1'], env);

    // THEN
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    const host = new URL(emulator.url).host;
    expect(run.stderr).toBe(`error: Wickr network 12345678 (us-east-1): GetUsersCount got no answer from ${host} `
      + `in 1 attempt (each allowed at most 1.0 s, 1.0 s in all). Check that ${host} is reachable from where this `
      + 'runs (from a VPC, through a NAT gateway) or allow a longer timeout.\n');
  });
});

describe('configuration errors', () => {
  test('fails with exit 4 naming where it looked when there is no region', async () => {
    // GIVEN no region anywhere
    const { AWS_REGION: _unused, ...noRegion } = env;

    // WHEN
    const run = await runMain(['--network-id', NETWORK], noRegion);

    // THEN
    const aws = join(home.path, '.aws');
    expect(run).toEqual({
      code: 4,
      stdout: '',
      stderr: 'error: No AWS region found. Looked for --region, the environment variables AWS_REGION and '
        + `AWS_DEFAULT_REGION, and a "region" setting for profile "default" in ${aws}/config and ${aws}/credentials. `
        + 'Pass --region (the Wickr network\'s own region, e.g. us-east-1) or set AWS_REGION.\n',
    });
  });

  test('fails with exit 4 naming where it looked when there are no credentials', async () => {
    // GIVEN an empty environment apart from a home without AWS files
    const bare = { HOME: home.path, AWS_EC2_METADATA_DISABLED: 'true' };

    // WHEN
    const run = await runMain(['--network-id', NETWORK, '--region', 'us-east-1'], bare);

    // THEN
    const aws = join(home.path, '.aws');
    expect(run).toEqual({
      code: 4,
      stdout: '',
      stderr: 'error: No AWS credentials found. Looked in the environment variables AWS_ACCESS_KEY_ID and '
        + `AWS_SECRET_ACCESS_KEY; profile "default" in ${aws}/credentials and ${aws}/config (keys, SSO, `
        + 'credential_process, role_arn); a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE); container credentials '
        + '(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI); EC2 instance metadata '
        + '(skipped: AWS_EC2_METADATA_DISABLED is true). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose '
        + 'a configured profile with --profile or AWS_PROFILE.\n',
    });
    expect(emulator.requests).toEqual([]);
  });

  test('fails with exit 4 when AWS_REGION is not a region', async () => {
    // GIVEN a mistyped region in the environment
    // WHEN
    const run = await runMain(['--network-id', NETWORK], { ...env, AWS_REGION: 'US East' });

    // THEN
    expect(run).toEqual({
      code: 4,
      stdout: '',
      stderr: 'error: The region from AWS_REGION must look like "us-east-1", got "US East".\n',
    });
  });

  test('fails with exit 4 when AWS_ENDPOINT_URL_WICKR is combined with --fips', async () => {
    // GIVEN an endpoint override in the environment
    // WHEN FIPS is asked for as well
    const run = await runMain(['--network-id', NETWORK, '--fips'], env);

    // THEN
    expect(run).toEqual({
      code: 4,
      stdout: '',
      stderr: 'error: Wickr network 12345678 (us-east-1): FIPS and a custom endpoint (AWS_ENDPOINT_URL_WICKR) '
        + 'cannot be combined; unset one of them.\n',
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
