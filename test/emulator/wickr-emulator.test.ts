import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { send, signedGet, signedHeaders, SigningCredentials } from './client';
import {
  DEFAULT_CREDENTIALS, EmulatorFault, WickrEmulator, WickrEmulatorOptions, WickrErrorName,
} from '../../emulator/wickr-emulator';

const execFileAsync = promisify(execFile);
const BOTO_SCRIPT = path.join(__dirname, 'get_users_count.py');
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AMZ_DATE = /^\d{8}T\d{6}Z$/;
const NETWORK = '12345678';
const OTHER_NETWORK = '87654321';
const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check '
  + 'your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const ERRORS: [WickrErrorName, number][] = [
  ['BadRequestError', 400],
  ['UnauthorizedError', 401],
  ['ForbiddenError', 403],
  ['ResourceNotFoundError', 404],
  ['ValidationError', 422],
  ['RateLimitError', 429],
  ['InternalServerError', 500],
];
const REASONS = [{ field: 'networkId', reason: 'is not a network of this account' }];

function countPath(networkId: string): string {
  return `/networks/${networkId}/users/count`;
}

function get(emulator: WickrEmulator, networkId = NETWORK, timeoutMs?: number) {
  return signedGet(emulator.url, countPath(networkId), { credentials: DEFAULT_CREDENTIALS, timeoutMs });
}

async function withEmulator(options: WickrEmulatorOptions, test: (emulator: WickrEmulator) => Promise<void>) {
  const emulator = await WickrEmulator.start(options);
  try {
    await test(emulator);
  } finally {
    await emulator.stop();
  }
}

/** Each recorded request as [status, fault kind]. */
function outcomes(emulator: WickrEmulator) {
  return emulator.requests.map((request) => [request.status, request.fault]);
}

function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Runs boto3's GetUsersCount once per network id and returns what botocore parsed from each answer. */
async function boto(emulator: WickrEmulator, networkIds: string[],
  options: { credentials?: SigningCredentials; region?: string } = {}): Promise<unknown[]> {
  const credentials: SigningCredentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const region = options.region ?? 'us-east-1';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PYENV_ROOT: process.env.PYENV_ROOT,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const { stdout } = await execFileAsync('python3', [BOTO_SCRIPT, emulator.url, region, ...networkIds],
    { env, timeout: 60_000 });
  return JSON.parse(stdout);
}

function botoError(code: string, message: string, status: number, extra: Record<string, unknown> = {}) {
  return {
    error: { exception: 'ClientError', code, message, status, requestId: expect.stringMatching(REQUEST_ID), ...extra },
  };
}

describe('WickrEmulator', () => {
  let emulator: WickrEmulator;

  beforeAll(async () => {
    emulator = await WickrEmulator.start();
  });

  afterAll(async () => {
    await emulator.stop();
  });

  beforeEach(() => {
    emulator.clearFaults();
    emulator.clearRequests();
    emulator.setNetwork(NETWORK, { pending: 2, active: 3, rejected: 1, remaining: 7 });
    emulator.removeNetwork(OTHER_NETWORK);
  });

  describe('seen through botocore', () => {
    test('answers the counts botocore parses, with total recomputed as active + pending', async () => {
      await withEmulator({
        networks: {
          [NETWORK]: { pending: 2, active: 3, rejected: 1, remaining: 7, total: 999 },
          [OTHER_NETWORK]: { active: 40 },
        },
      }, async (own) => {
        // WHEN
        const results = await boto(own, [NETWORK, OTHER_NETWORK], {
          credentials: { ...DEFAULT_CREDENTIALS, sessionToken: 'session-token-1' },
          region: 'ap-southeast-2',
        });

        // THEN
        expect(results).toEqual([
          {
            counts: { pending: 2, active: 3, rejected: 1, remaining: 7, total: 5 },
            requestId: expect.stringMatching(REQUEST_ID),
          },
          {
            counts: { pending: 0, active: 40, rejected: 0, remaining: 0, total: 40 },
            requestId: expect.stringMatching(REQUEST_ID),
          },
        ]);
        expect(own.requests.map(({ region, sessionToken, accessKeyId, status }) =>
          ({ region, sessionToken, accessKeyId, status }))).toEqual([
          { region: 'ap-southeast-2', sessionToken: 'session-token-1', accessKeyId: 'AKIDWICKREMULATOR', status: 200 },
          { region: 'ap-southeast-2', sessionToken: 'session-token-1', accessKeyId: 'AKIDWICKREMULATOR', status: 200 },
        ]);
      });
    });

    test.each(['header', 'code', '__type'] as const)(
      'fails with each of the seven errors, parsed by botocore from the type in the %s', async (typeIn) => {
        // GIVEN
        for (const [error] of ERRORS) {
          emulator.injectFault({ kind: 'error', error, typeIn, message: `${error} by ${typeIn}`, reasons: REASONS },
            { times: 1 });
        }

        // WHEN
        const results = await boto(emulator, ERRORS.map(() => NETWORK));

        // THEN
        expect(results).toEqual(ERRORS.map(([error, status]) => ({
          error: {
            exception: error,
            code: error,
            message: `${error} by ${typeIn}`,
            status,
            requestId: expect.stringMatching(REQUEST_ID),
            ...(error === 'ValidationError' ? { reasons: REASONS } : {}),
          },
        })));
        expect(emulator.requests.map((request) => request.status)).toEqual(ERRORS.map(([, status]) => status));
      });

    test('fails with ValidationError and its reasons when the network id is not 8 digits', async () => {
      // WHEN
      const results = await boto(emulator, ['abcd1234', '123456789']);

      // THEN
      expect(results).toEqual(['abcd1234', '123456789'].map((networkId) => ({
        error: {
          exception: 'ValidationError',
          code: 'ValidationError',
          message: `1 validation error detected: Value '${networkId}' at 'networkId' failed to satisfy constraint: `
            + 'Member must satisfy regular expression pattern: [0-9]{8}',
          status: 422,
          requestId: expect.stringMatching(REQUEST_ID),
          reasons: [{ field: 'networkId', reason: `must be exactly 8 digits, got '${networkId}'` }],
        },
      })));
    });

    test('fails with ResourceNotFoundError when the network is unknown', async () => {
      // WHEN
      const results = await boto(emulator, [OTHER_NETWORK]);

      // THEN
      expect(results).toEqual([{
        error: {
          exception: 'ResourceNotFoundError',
          code: 'ResourceNotFoundError',
          message: `Network ${OTHER_NETWORK} was not found.`,
          status: 404,
          requestId: expect.stringMatching(REQUEST_ID),
        },
      }]);
    });

    test('fails with InvalidSignatureException when the secret key is wrong', async () => {
      // WHEN
      const results = await boto(emulator, [NETWORK], {
        credentials: { accessKeyId: DEFAULT_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-emulator-secret' },
      });

      // THEN
      expect(results).toEqual([botoError('InvalidSignatureException', SIGNATURE_MISMATCH, 403)]);
    });

    test('fails with UnrecognizedClientException when the access key is unknown', async () => {
      // WHEN
      const results = await boto(emulator, [NETWORK], {
        credentials: { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: DEFAULT_CREDENTIALS.secretAccessKey },
      });

      // THEN
      expect(results).toEqual([
        botoError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403),
      ]);
    });
  });

  describe('signature verification', () => {
    test('fails when the request is not signed', async () => {
      // WHEN
      const reply = await send(emulator.url, countPath(NETWORK));

      // THEN
      expect(reply.status).toBe(403);
      expect(reply.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(reply.headers['x-amzn-requestid']).toMatch(REQUEST_ID);
      expect(JSON.parse(reply.body)).toEqual({ message: 'Missing Authentication Token' });
    });

    test('fails when the Authorization header is garbled', async () => {
      // WHEN
      const reply = await send(emulator.url, countPath(NETWORK), {
        headers: { 'authorization': 'Bearer abc', 'x-amz-date': amzDate(new Date()) },
      });

      // THEN
      expect(reply.status).toBe(403);
      expect(reply.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(JSON.parse(reply.body)).toEqual({
        message: 'Unsupported authorization algorithm \'Bearer\', expected \'AWS4-HMAC-SHA256\'. '
          + 'Authorization header requires \'Credential\' parameter. '
          + 'Authorization header requires \'Signature\' parameter. '
          + 'Authorization header requires \'SignedHeaders\' parameter.',
      });
    });

    test('fails when the credential scope has the wrong shape or the date is missing', async () => {
      // WHEN
      const reply = await send(emulator.url, countPath(NETWORK), {
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/wickr, SignedHeaders=host, Signature=ab' },
      });

      // THEN
      expect(reply.status).toBe(403);
      expect(reply.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(JSON.parse(reply.body)).toEqual({
        message: 'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, '
          + 'got \'20240101/wickr\'. Authorization header requires existence of a valid \'X-Amz-Date\' header.',
      });
    });

    test('fails when the credential is scoped to another service', async () => {
      // WHEN
      const reply = await signedGet(emulator.url, countPath(NETWORK), {
        credentials: DEFAULT_CREDENTIALS,
        service: 'execute-api',
      });

      // THEN
      expect(reply.status).toBe(403);
      expect(reply.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(JSON.parse(reply.body)).toEqual({ message: 'Credential should be scoped to correct service: \'wickr\'.' });
    });

    test('fails when the signature is more than 15 minutes old', async () => {
      // GIVEN
      const signingDate = new Date(Date.now() - 16 * 60 * 1000);

      // WHEN
      const reply = await signedGet(emulator.url, countPath(NETWORK), {
        credentials: DEFAULT_CREDENTIALS,
        signingDate,
      });

      // THEN
      expect(reply.status).toBe(403);
      expect(reply.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      const { message } = JSON.parse(reply.body);
      const [, signed, limit, now] = /^Signature expired: (\S+) is now earlier than (\S+) \((\S+) - 15 min\.\)$/
        .exec(message)!;
      expect(signed).toBe(amzDate(signingDate));
      expect([limit, now]).toEqual([expect.stringMatching(AMZ_DATE), expect.stringMatching(AMZ_DATE)]);
    });

    test('fails when the signature is more than 15 minutes in the future', async () => {
      // GIVEN
      const signingDate = new Date(Date.now() + 16 * 60 * 1000);

      // WHEN
      const reply = await signedGet(emulator.url, countPath(NETWORK), {
        credentials: DEFAULT_CREDENTIALS,
        signingDate,
      });

      // THEN
      expect(reply.status).toBe(403);
      expect(reply.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(JSON.parse(reply.body).message)
        .toMatch(new RegExp(
          `^Signature not yet current: ${amzDate(signingDate)} is still later than \\S+ \\(\\S+ \\+ 15 min\\.\\)$`));
    });

    test('accepts a signature 14 minutes old', async () => {
      // WHEN
      const reply = await signedGet(emulator.url, countPath(NETWORK), {
        credentials: DEFAULT_CREDENTIALS,
        signingDate: new Date(Date.now() - 14 * 60 * 1000),
      });

      // THEN
      expect(reply.status).toBe(200);
    });

    test('fails when the path is changed after signing', async () => {
      // GIVEN
      emulator.setNetwork(OTHER_NETWORK, {});
      const headers = await signedHeaders(emulator.url, countPath(NETWORK), { credentials: DEFAULT_CREDENTIALS });

      // WHEN
      const reply = await send(emulator.url, countPath(OTHER_NETWORK), { headers });

      // THEN
      expect(reply.status).toBe(403);
      expect(reply.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(JSON.parse(reply.body)).toEqual({ message: SIGNATURE_MISMATCH });
    });

    test('fails when the session token is changed after signing', async () => {
      // GIVEN
      const headers = await signedHeaders(emulator.url, countPath(NETWORK), {
        credentials: { ...DEFAULT_CREDENTIALS, sessionToken: 'token-signed' },
      });

      // WHEN
      const reply = await send(emulator.url, countPath(NETWORK), {
        headers: { ...headers, 'x-amz-security-token': 'token-swapped' },
      });

      // THEN
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.body)).toEqual({ message: SIGNATURE_MISMATCH });
    });

    test('accepts every configured signer and only those', async () => {
      // GIVEN
      const first = { accessKeyId: 'AKIDFIRST', secretAccessKey: 'first-secret' };
      const second = { accessKeyId: 'AKIDSECOND', secretAccessKey: 'second-secret' };
      await withEmulator({ credentials: [first, second], networks: { [NETWORK]: { active: 1 } } }, async (own) => {
        // WHEN
        const statuses = [];
        for (const credentials of [first, second, DEFAULT_CREDENTIALS]) {
          const reply = await signedGet(own.url, countPath(NETWORK), { credentials });
          statuses.push([reply.status, reply.headers['x-amzn-errortype']]);
        }

        // THEN
        expect(statuses).toEqual([[200, undefined], [200, undefined], [403, 'UnrecognizedClientException']]);
      });
    });

    test('answers unsigned requests when verification is off', async () => {
      await withEmulator({ verifySignature: false, networks: { [NETWORK]: { pending: 4 } } }, async (own) => {
        // WHEN
        const reply = await send(own.url, countPath(NETWORK));

        // THEN
        expect(reply.status).toBe(200);
        expect(reply.body).toBe('{"pending":4,"active":0,"rejected":0,"remaining":0,"total":4}');
      });
    });
  });

  describe('answers', () => {
    test('answers the counts as exact JSON with the AWS headers', async () => {
      // WHEN
      const reply = await get(emulator);

      // THEN
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(reply.headers['x-amzn-requestid']).toMatch(REQUEST_ID);
      expect(reply.body).toBe('{"pending":2,"active":3,"rejected":1,"remaining":7,"total":5}');
    });

    test('answers what setNetwork set, missing counts as 0', async () => {
      // GIVEN
      emulator.setNetwork(NETWORK, { active: 9 });

      // WHEN
      const reply = await get(emulator);

      // THEN
      expect(reply.body).toBe('{"pending":0,"active":9,"rejected":0,"remaining":0,"total":9}');
    });

    test('fails when setNetwork gets a negative count', () => {
      expect(() => emulator.setNetwork(NETWORK, { pending: -1 }))
        .toThrow('pending of network 12345678 must be a non-negative integer, got -1');
    });

    test('fails with 404 UnknownOperationException for another path or method', async () => {
      // WHEN
      const otherPath = await signedGet(emulator.url, `/networks/${NETWORK}/users`, {
        credentials: DEFAULT_CREDENTIALS,
      });
      const otherMethod = await signedGet(emulator.url, countPath(NETWORK), {
        credentials: DEFAULT_CREDENTIALS,
        method: 'POST',
      });

      // THEN
      expect([otherPath.status, otherPath.headers['x-amzn-errortype'], JSON.parse(otherPath.body)]).toEqual(
        [404, 'UnknownOperationException', { message: `No operation matches GET /networks/${NETWORK}/users` }]);
      expect([otherMethod.status, otherMethod.headers['x-amzn-errortype'], JSON.parse(otherMethod.body)]).toEqual(
        [404, 'UnknownOperationException', { message: `No operation matches POST /networks/${NETWORK}/users/count` }]);
    });
  });

  describe('faults', () => {
    test('fails with an error fault carrying its type in the header and a Retry-After', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'error', error: 'RateLimitError', retryAfterSeconds: 2 });

      // WHEN
      const reply = await get(emulator);

      // THEN
      expect(reply.status).toBe(429);
      expect(reply.headers['x-amzn-errortype']).toBe('RateLimitError');
      expect(reply.headers['retry-after']).toBe('2');
      expect(reply.body).toBe('{"message":"Rate exceeded."}');
    });

    test.each<['header' | 'code' | '__type', string | undefined, object]>([
      ['header', 'ValidationError', { message: 'Bad', reasons: REASONS }],
      ['code', undefined, { code: 'ValidationError', message: 'Bad', reasons: REASONS }],
      ['__type', undefined, {
        __type: 'com.amazonaws.wickr#ValidationError:http://internal.amazon.com/coral/com.amazonaws.wickr/',
        message: 'Bad',
        reasons: REASONS,
      }],
    ])('fails with an error fault whose type travels in the %s', async (typeIn, errorTypeHeader, body) => {
      // GIVEN
      emulator.injectFault({ kind: 'error', error: 'ValidationError', typeIn, message: 'Bad', reasons: REASONS });

      // WHEN
      const reply = await get(emulator);

      // THEN
      expect(reply.status).toBe(422);
      expect(reply.headers['x-amzn-errortype']).toBe(errorTypeHeader);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(JSON.parse(reply.body)).toEqual(body);
    });

    test('fails with a ValidationError fault that lists no reasons as an empty list', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'error', error: 'ValidationError' });

      // WHEN
      const reply = await get(emulator);

      // THEN
      expect(reply.body).toBe('{"message":"The request failed validation.","reasons":[]}');
    });

    test('hangs until the client gives up, and stop() still ends the connection', async () => {
      await withEmulator({ networks: { [NETWORK]: { active: 1 } } }, async (own) => {
        // GIVEN
        own.injectFault({ kind: 'hang' });

        // WHEN
        const timedOut = get(own, NETWORK, 200);
        await expect(timedOut).rejects.toThrow('client timeout');
        const pending = get(own).catch((error: NodeJS.ErrnoException) => error.code);
        while (own.requests.length < 2) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await own.stop();

        // THEN
        expect(await pending).toBe('ECONNRESET');
        expect(outcomes(own)).toEqual([['hang', 'hang'], ['hang', 'hang']]);
      });
    }, 10_000);

    test('resets the connection without an answer', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'reset' });

      // WHEN
      const error = await get(emulator).catch((failure: NodeJS.ErrnoException) => failure);

      // THEN
      expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
      expect(outcomes(emulator)).toEqual([['reset', 'reset']]);
    });

    test('delays the normal answer', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'delay', ms: 500 });

      // WHEN
      const impatient = expect(get(emulator, NETWORK, 100)).rejects.toThrow('client timeout');
      const patient = await get(emulator);

      // THEN
      await impatient;
      expect(patient.status).toBe(200);
      expect(patient.body).toBe('{"pending":2,"active":3,"rejected":1,"remaining":7,"total":5}');
      expect(outcomes(emulator)).toEqual([[200, 'delay'], [200, 'delay']]);
    });

    test('trickles the whole answer a few bytes at a time', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'trickle', chunkBytes: 8, intervalMs: 20 });

      // WHEN
      const reply = await get(emulator);

      // THEN
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('{"pending":2,"active":3,"rejected":1,"remaining":7,"total":5}');
      expect(reply.pieces).toBeGreaterThan(1);
      expect(outcomes(emulator)).toEqual([[200, 'trickle']]);
    });

    test('stop() ends a trickling answer', async () => {
      await withEmulator({ networks: { [NETWORK]: { active: 1 } } }, async (own) => {
        // GIVEN
        own.injectFault({ kind: 'trickle', chunkBytes: 1, intervalMs: 60_000 });
        let headersArrived: () => void;
        const trickling = new Promise<void>((resolve) => headersArrived = resolve);

        // WHEN
        const reply = signedGet(own.url, countPath(NETWORK), {
          credentials: DEFAULT_CREDENTIALS,
          onHeaders: () => headersArrived(),
        });
        await trickling;
        await own.stop();

        // THEN
        await expect(reply).rejects.toThrow('aborted');
      });
    }, 10_000);

    test('answers 200 with a body that is not JSON', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'malformed' });

      // WHEN
      const reply = await get(emulator);

      // THEN
      expect([reply.status, reply.body]).toEqual([200, '<html>oops']);
    });

    test('answers exactly the body of a body fault, with its status', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'body', body: '{"pending":"two"}' }, { times: 1 });
      emulator.injectFault({ kind: 'body', body: '{}', status: 202 }, { times: 1 });

      // WHEN
      const first = await get(emulator);
      const second = await get(emulator);

      // THEN
      expect([first.status, first.body]).toEqual([200, '{"pending":"two"}']);
      expect([second.status, second.body]).toEqual([202, '{}']);
    });

    test('answers a bare status with no error type', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'status', status: 503, body: '<html>Service Unavailable</html>' }, { times: 1 });
      emulator.injectFault({ kind: 'status', status: 502 }, { times: 1 });

      // WHEN
      const unavailable = await get(emulator);
      const badGateway = await get(emulator);

      // THEN
      expect([unavailable.status, unavailable.body, unavailable.headers['x-amzn-errortype']])
        .toEqual([503, '<html>Service Unavailable</html>', undefined]);
      expect([badGateway.status, badGateway.body, badGateway.headers['x-amzn-errortype']])
        .toEqual([502, '', undefined]);
      expect(badGateway.headers['x-amzn-requestid']).toMatch(REQUEST_ID);
    });

    test('applies a fault only as many times as asked, first injected first', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'status', status: 502 }, { times: 1 });
      emulator.injectFault({ kind: 'status', status: 503 }, { times: 2 });

      // WHEN
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await get(emulator)).status);
      }

      // THEN
      expect(statuses).toEqual([502, 503, 503, 200]);
    });

    test('applies a fault only to its network', async () => {
      // GIVEN
      emulator.setNetwork(OTHER_NETWORK, { active: 1 });
      emulator.injectFault({ kind: 'error', error: 'InternalServerError' }, { networkId: OTHER_NETWORK });

      // WHEN
      const mine = await get(emulator, NETWORK);
      const other = await get(emulator, OTHER_NETWORK);

      // THEN
      expect([mine.status, other.status]).toEqual([200, 500]);
    });

    test('stops applying faults after clearFaults()', async () => {
      // GIVEN
      emulator.injectFault({ kind: 'status', status: 503 });
      emulator.clearFaults();

      // WHEN
      const reply = await get(emulator);

      // THEN
      expect(reply.status).toBe(200);
    });

    test('draws probability faults from the seed: same seed, same requests faulted', async () => {
      // GIVEN
      const faultedWith = async (seed: number, probability: number): Promise<number[]> => {
        const statuses: number[] = [];
        await withEmulator({ seed, networks: { [NETWORK]: { active: 1 } } }, async (own) => {
          own.injectFault({ kind: 'status', status: 503 }, { probability });
          for (let i = 0; i < 24; i++) {
            statuses.push((await get(own)).status);
          }
        });
        return statuses;
      };

      // WHEN
      const first = await faultedWith(42, 0.5);
      const again = await faultedWith(42, 0.5);
      const otherSeed = await faultedWith(43, 0.5);
      const never = await faultedWith(42, 0);

      // THEN
      expect(again).toEqual(first);
      expect(new Set(first)).toEqual(new Set([200, 503]));
      expect(otherSeed).not.toEqual(first);
      expect(new Set(never)).toEqual(new Set([200]));
    });

    test.each<[string, EmulatorFault, object, string]>([
      ['times is not a positive integer', { kind: 'hang' }, { times: 0 }, 'times must be a positive integer, got 0'],
      ['probability is above 1', { kind: 'hang' }, { probability: 1.5 },
        'probability must be between 0 and 1, got 1.5'],
      ['a trickle has no bytes', { kind: 'trickle', chunkBytes: 0, intervalMs: 1 }, {},
        'trickle fault: chunkBytes must be a positive integer, got 0'],
      ['an error is not a Wickr error', { kind: 'error', error: 'Nope' as WickrErrorName }, {},
        'error fault: error must be one of BadRequestError, UnauthorizedError, ForbiddenError, '
        + 'ResourceNotFoundError, ValidationError, RateLimitError, InternalServerError, got Nope'],
    ])('fails when %s', (_, fault, options, message) => {
      expect(() => emulator.injectFault(fault, options)).toThrow(message);
    });
  });

  describe('request log', () => {
    test('records each request with the region of its credential scope and its session token', async () => {
      // GIVEN
      const before = Date.now();

      // WHEN
      await signedGet(emulator.url, countPath(NETWORK), {
        credentials: { ...DEFAULT_CREDENTIALS, sessionToken: 'session-token-2' },
        region: 'eu-central-1',
      });
      emulator.injectFault({ kind: 'status', status: 504 });
      await get(emulator, OTHER_NETWORK);

      // THEN
      const after = Date.now();
      expect(emulator.requests).toEqual([
        {
          method: 'GET',
          path: countPath(NETWORK),
          networkId: NETWORK,
          region: 'eu-central-1',
          accessKeyId: 'AKIDWICKREMULATOR',
          sessionToken: 'session-token-2',
          status: 200,
          receivedAt: expect.any(Number),
        },
        {
          method: 'GET',
          path: countPath(OTHER_NETWORK),
          networkId: OTHER_NETWORK,
          region: 'us-east-1',
          accessKeyId: 'AKIDWICKREMULATOR',
          status: 504,
          fault: 'status',
          receivedAt: expect.any(Number),
        },
      ]);
      for (const { receivedAt } of emulator.requests) {
        expect(receivedAt).toBeGreaterThanOrEqual(before);
        expect(receivedAt).toBeLessThanOrEqual(after);
      }
    });

    test('forgets the requests after clearRequests()', async () => {
      // GIVEN
      await get(emulator);

      // WHEN
      emulator.clearRequests();

      // THEN
      expect(emulator.requests).toEqual([]);
    });
  });
});
