import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_CREDENTIALS, WickrEmulator } from '../../emulator/wickr-emulator';
import { AttemptInfo, getUsersCount, GetUsersCountOptions, readRetryAfter } from '../../lambda/wickr/client';
import { WickrError } from '../../lambda/wickr/errors';

const NETWORK_ID = '12345678';
const WHERE = 'Wickr network 12345678 (us-east-1)';
let emulator: WickrEmulator;

beforeAll(async () => {
  const counts = { pending: 5, active: 40, rejected: 2, remaining: 10 };
  emulator = await WickrEmulator.start({ networks: { [NETWORK_ID]: counts } });
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

function options(overrides: Partial<GetUsersCountOptions> = {}): GetUsersCountOptions {
  return {
    networkId: NETWORK_ID,
    region: 'us-east-1',
    credentials: DEFAULT_CREDENTIALS,
    endpoint: emulator.url,
    deadline: Date.now() + 10_000,
    ...overrides,
  };
}

async function failureOf(call: Promise<unknown>): Promise<WickrError> {
  try {
    await call;
  } catch (error) {
    return error as WickrError;
  }
  throw new Error('expected the call to fail');
}

describe('getUsersCount', () => {
  test('reads the counts, sending no session token when there is none', async () => {
    // WHEN
    const counts = await getUsersCount(options());

    // THEN
    expect(counts).toEqual({ pending: 5, active: 40, rejected: 2, remaining: 10, total: 45 });
    expect(emulator.requests).toEqual([
      expect.objectContaining({ region: 'us-east-1', sessionToken: undefined, status: 200 }),
    ]);
  });

  test('signs for the network\'s region and sends the session token', async () => {
    // WHEN
    await getUsersCount(options({
      region: 'ap-southeast-2',
      credentials: { ...DEFAULT_CREDENTIALS, sessionToken: 'session-token-1' },
    }));

    // THEN
    expect(emulator.requests).toEqual([
      expect.objectContaining({ region: 'ap-southeast-2', sessionToken: 'session-token-1' }),
    ]);
  });

  test('reports each attempt, with the backoff it waits before the next', async () => {
    // GIVEN
    emulator.injectFault({ kind: 'error', error: 'RateLimitError' }, { times: 2 });
    const attempts: AttemptInfo[] = [];

    // WHEN
    await getUsersCount(options({ retry: { baseDelayMs: 0 }, onAttempt: (info) => attempts.push(info) }));

    // THEN
    expect(attempts).toEqual([
      { attempt: 1, durationMs: expect.any(Number), status: 429, errorType: 'RateLimitError', retryInMs: 0 },
      { attempt: 2, durationMs: expect.any(Number), status: 429, errorType: 'RateLimitError', retryInMs: 0 },
      { attempt: 3, durationMs: expect.any(Number), status: 200 },
    ]);
  });

  test('stops after maxAttempts', async () => {
    // GIVEN
    emulator.injectFault({ kind: 'error', error: 'InternalServerError', message: 'Boom.' });

    // WHEN
    const error = await failureOf(getUsersCount(options({ retry: { maxAttempts: 2, baseDelayMs: 1 } })));

    // THEN
    expect(error.message).toBe(`${WHERE}: GetUsersCount failed with InternalServerError (HTTP 500, "Boom."). `
      + 'The service kept failing after 2 attempts (retried 1 time); retry later, and contact AWS Support if it '
      + 'persists.');
    expect(error.details).toEqual({
      status: 500, errorType: 'InternalServerError', attempts: 2, requestId: expect.any(String),
    });
    expect(emulator.requests).toHaveLength(2);
  });

  test('cuts a backoff that would pass the deadline short and makes one last attempt before it', async () => {
    // GIVEN every call answers 503, a backoff that draws 59.4 s, and a deadline 1.5 s away
    emulator.injectFault({ kind: 'status', status: 503 });
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.99);
    const deadline = Date.now() + 1500;

    // WHEN
    const error = await failureOf(getUsersCount(options({
      deadline,
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
    }))).finally(() => random.mockRestore());

    // THEN the second call waited only until 0.4 s before the deadline, and no time was left for a third
    expect(error.message).toBe(`${WHERE}: GetUsersCount failed with HTTP 503. The service was unavailable after `
      + '2 attempts (retried 1 time); retry later. No time was left before the deadline for another attempt.');
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.requests[1].receivedAt).toBeGreaterThanOrEqual(deadline - 400);
    expect(emulator.requests[1].receivedAt).toBeLessThanOrEqual(deadline);
  });

  test('does not retry an error a retry cannot fix', async () => {
    // GIVEN
    emulator.injectFault({ kind: 'error', error: 'ForbiddenError' });

    // WHEN
    const error = await failureOf(getUsersCount(options()));

    // THEN
    expect(error.kind).toBe('service');
    expect(emulator.requests).toHaveLength(1);
  });

  test('cuts off a body that trickles in slower than an attempt may take', async () => {
    // GIVEN
    emulator.injectFault({ kind: 'trickle', chunkBytes: 4, intervalMs: 200 });

    // WHEN
    const limits = { attemptTimeoutMs: 500, retry: { maxAttempts: 2, baseDelayMs: 1 } };
    const error = await failureOf(getUsersCount(options(limits)));

    // THEN
    const host = new URL(emulator.url).host;
    expect(error.message).toBe(`${WHERE}: GetUsersCount got no answer from ${host} in 2 attempts (each allowed at `
      + `most 0.5 s, 10.0 s in all). Check that ${host} is reachable from where this runs (from a VPC, through a NAT `
      + 'gateway) or allow a longer timeout.');
    expect(error.kind).toBe('timeout');
  });

  test('reads a body that trickles in within the attempt\'s time', async () => {
    // GIVEN
    emulator.injectFault({ kind: 'trickle', chunkBytes: 16, intervalMs: 10 });

    // WHEN
    const counts = await getUsersCount(options());

    // THEN
    expect(counts).toEqual({ pending: 5, active: 40, rejected: 2, remaining: 10, total: 45 });
  });

  test('fails when the deadline has already passed, without calling', async () => {
    // WHEN
    const error = await failureOf(getUsersCount(options({ deadline: Date.now() - 1 })));

    // THEN
    expect(error.message).toBe(`${WHERE}: GetUsersCount was not called: only 0.0 s was left before the deadline.`);
    expect(emulator.requests).toEqual([]);
  });

  test('fails naming the connection error when nothing listens', async () => {
    // GIVEN a port that was just freed
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    // WHEN
    const error = await failureOf(getUsersCount(options({
      endpoint: `http://127.0.0.1:${port}`,
      retry: { maxAttempts: 3, baseDelayMs: 1 },
    })));

    // THEN
    expect(error.message).toBe(`${WHERE}: GetUsersCount could not reach 127.0.0.1:${port} (ECONNREFUSED: connect `
      + `ECONNREFUSED 127.0.0.1:${port}) after 3 attempts. Check that 127.0.0.1:${port} is reachable from where this `
      + 'runs (from a VPC, through a NAT gateway) or allow a longer timeout.');
    expect(error.kind).toBe('connection');
  });

  test('fails on a body without a length that grows past the cap', async () => {
    // GIVEN a server that streams an endless 200
    const endless = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write('x'.repeat(1024)), 1);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));

    try {
      // WHEN
      const endpoint = `http://127.0.0.1:${(endless.address() as AddressInfo).port}`;
      const error = await failureOf(getUsersCount(options({ endpoint, maxBodyBytes: 4096 })));

      // THEN
      expect(error.message).toBe(`${WHERE}: GetUsersCount answered HTTP 200 with a body over the 4096-byte limit for a `
        + 'users count.');
    } finally {
      endless.closeAllConnections();
      await new Promise((resolve) => endless.close(resolve));
    }
  });

  test('fails on a network id that is not 8 digits, without calling', async () => {
    // WHEN
    const error = await failureOf(getUsersCount(options({ networkId: '1234' })));

    // THEN
    expect(error.message).toBe('The network id must be 8 digits, got "1234".');
    expect(error.kind).toBe('configuration');
    expect(emulator.requests).toEqual([]);
  });

  test('fails when the deadline is not a point in time', async () => {
    // WHEN
    const error = await failureOf(getUsersCount(options({ deadline: Infinity })));

    // THEN
    expect(error.message).toBe('The deadline must be a time in epoch milliseconds, got Infinity.');
    expect(emulator.requests).toEqual([]);
  });

  test('fails without credentials, without calling', async () => {
    // WHEN
    const error = await failureOf(getUsersCount(options({ credentials: { accessKeyId: '', secretAccessKey: '' } })));

    // THEN
    expect(error.message).toBe(`${WHERE}: no AWS credentials to sign GetUsersCount with.`);
    expect(emulator.requests).toEqual([]);
  });

  test('resolves the endpoint from the environment it is given', async () => {
    // WHEN
    const counts = await getUsersCount(options({ endpoint: undefined, env: { AWS_ENDPOINT_URL_WICKR: emulator.url } }));

    // THEN
    expect(counts.total).toBe(45);
  });

  test('fails on a region that is not shaped like one', async () => {
    // WHEN
    const error = await failureOf(getUsersCount(options({ endpoint: undefined, region: 'moon', env: {} })));

    // THEN
    expect(error.message).toBe('Wickr network 12345678 (moon): Region must look like "us-east-1", got "moon".');
  });
});

describe('readRetryAfter', () => {
  test('reads delta-seconds', () => {
    // WHEN / THEN
    expect(readRetryAfter({ 'retry-after': '3' })).toBe(3000);
  });

  test('reads an HTTP date as the time until then', () => {
    // GIVEN
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();

    // WHEN
    const delay = readRetryAfter({ 'retry-after': inTenSeconds });

    // THEN the date has one-second resolution
    expect(delay).toBeGreaterThan(8000);
    expect(delay).toBeLessThanOrEqual(10_000);
  });

  test('ignores a missing or unreadable value', () => {
    // WHEN / THEN
    expect(readRetryAfter({})).toBeUndefined();
    expect(readRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
  });
});
