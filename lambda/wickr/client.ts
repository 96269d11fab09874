import * as http from 'node:http';
import * as https from 'node:https';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CountsParseError, parseUsersCount, UsersCount } from './counts';
import { EndpointError, resolveEndpoint } from './endpoint';
import {
  CallSubject, describeServiceError, describeUnreachable, readErrorType, readServiceError, RETRYABLE_STATUSES,
  seconds, TimeLimits, TransportFailure, where, WickrError,
} from './errors';

/** The Wickr Admin API's network ids: exactly 8 digits. */
export const NETWORK_ID_PATTERN = /^[0-9]{8}$/;

export function isNetworkId(value: unknown): value is string {
  return typeof value === 'string' && NETWORK_ID_PATTERN.test(value);
}

/** Credentials are handed in: the Lambda reads its environment, the command-line tool the SDK's chain. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RetryOptions {
  /** @default 5 */
  readonly maxAttempts?: number;
  /** The first backoff's ceiling; each retry doubles it (full jitter). @default 100 */
  readonly baseDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
}

/** What one attempt did, for logs. */
export interface AttemptInfo {
  readonly attempt: number;
  readonly durationMs: number;
  readonly status?: number;
  readonly errorType?: string;
  /** `timeout`, or the connection error's code. */
  readonly error?: string;
  /** How long the client waits before the next attempt; absent when this attempt was the last. */
  readonly retryInMs?: number;
}

export interface GetUsersCountOptions extends CallSubject {
  readonly credentials: AwsCredentials;
  /** Epoch milliseconds by which the call, retries included, gives up. */
  readonly deadline: number;
  /** A base URL that replaces endpoint resolution. @default resolved from the region and the environment */
  readonly endpoint?: string;
  /** @default false */
  readonly useFips?: boolean;
  /** @default false */
  readonly useDualStack?: boolean;
  /** Where endpoint overrides are read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly retry?: RetryOptions;
  /**
   * How long one attempt may take, headers and body. One hung connection must not use the whole budget.
   * @default a third of the time to the deadline, from 1 s to 30 s
   */
  readonly attemptTimeoutMs?: number;
  /** @default 65536 */
  readonly maxBodyBytes?: number;
  readonly onAttempt?: (info: AttemptInfo) => void;
}

type SignedRequest = Pick<HttpRequest, 'method' | 'path' | 'headers'>;

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** An attempt needs at least this long to be worth starting. */
const MIN_ATTEMPT_MS = 200;

/** GetUsersCount answers in well under a second; an attempt taking longer than this is hung. */
const MAX_ATTEMPT_MS = 30_000;

interface Answer {
  readonly kind: 'answer';
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Set when the body was over the limit, with its length when the answer declared one. */
  readonly oversize?: { readonly declaredBytes?: number };
}

type Outcome = Answer | TransportFailure;

const CLOSED_MID_BODY: TransportFailure = {
  kind: 'connection',
  code: 'ECONNRESET',
  message: 'the connection closed before the body was complete',
};

/** Reads a network's user counts with GetUsersCount, retrying throttling and transient faults until the deadline. */
export async function getUsersCount(options: GetUsersCountOptions): Promise<UsersCount> {
  const startedAt = Date.now();
  const base = new URL(prepare(options));
  const signer = new SignatureV4({
    service: 'wickr',
    region: options.region,
    credentials: options.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const maxAttempts = options.retry?.maxAttempts ?? 5;
  const attemptTimeoutMs = options.attemptTimeoutMs
    ?? Math.min(MAX_ATTEMPT_MS, Math.max(1000, Math.floor((options.deadline - startedAt) / 3)));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  let last: Outcome | undefined;
  let stoppedBecause: string | undefined;
  let attempt = 0;
  while (attempt < maxAttempts) {
    const left = options.deadline - Date.now();
    if (left < MIN_ATTEMPT_MS) {
      stoppedBecause = attempt === 0
        ? `only ${seconds(Math.max(0, left))} was left before the deadline`
        : 'no time was left before the deadline for another attempt';
      break;
    }

    attempt += 1;
    const attemptStart = Date.now();
    const request = await signer.sign(buildRequest(base, options.networkId), { signingDate: new Date() });
    last = await exchange(base, request, Math.min(attemptTimeoutMs, left), maxBodyBytes);
    const durationMs = Date.now() - attemptStart;
    const summary = summarize(last, attempt, durationMs);

    if (last.kind === 'answer' && last.status === 200) {
      options.onAttempt?.(summary);
      return readCounts(last, maxBodyBytes, options);
    }
    if (!isRetryable(last) || attempt >= maxAttempts) {
      options.onAttempt?.(summary);
      break;
    }

    const retryAfterMs = last.kind === 'answer' ? readRetryAfter(last.headers) : undefined;
    const delay = retryAfterMs ?? backoff(attempt, options.retry);
    if (Date.now() + delay + MIN_ATTEMPT_MS > options.deadline) {
      options.onAttempt?.(summary);
      stoppedBecause = retryAfterMs !== undefined
        ? `the service asked to wait ${seconds(retryAfterMs)} before retrying, which would pass the deadline`
        : 'no time was left before the deadline for another attempt';
      break;
    }
    options.onAttempt?.({ ...summary, retryInMs: delay });
    await sleep(delay);
  }

  const summary = { attempts: attempt, budgetMs: options.deadline - startedAt, attemptTimeoutMs, stoppedBecause };
  throw failure(last, summary, base, options);
}

function prepare(options: GetUsersCountOptions): string {
  if (!Number.isFinite(options.deadline)) {
    const message = `The deadline must be a time in epoch milliseconds, got ${options.deadline}.`;
    throw new WickrError(message, 'configuration');
  }
  if (!isNetworkId(options.networkId)) {
    throw new WickrError(`The network id must be 8 digits, got ${JSON.stringify(options.networkId)}.`, 'configuration');
  }
  const credentials = options.credentials;
  if (!credentials?.accessKeyId || !credentials.secretAccessKey) {
    throw new WickrError(`${where(options)}: no AWS credentials to sign GetUsersCount with.`, 'configuration');
  }
  if (options.endpoint) {
    return options.endpoint;
  }
  try {
    return resolveEndpoint(options).url;
  } catch (error) {
    if (error instanceof EndpointError) {
      throw new WickrError(`${where(options)}: ${error.message}`, 'configuration');
    }
    throw error;
  }
}

function buildRequest(base: URL, networkId: string): HttpRequest {
  const basePath = base.pathname.replace(/\/+$/, '');
  return new HttpRequest({
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port ? Number(base.port) : undefined,
    method: 'GET',
    path: `${basePath}/networks/${encodeURIComponent(networkId)}/users/count`,
    headers: { host: base.host, accept: 'application/json' },
  });
}

function exchange(base: URL, request: SignedRequest, timeoutMs: number, maxBodyBytes: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      }
    };

    const transport = base.protocol === 'https:' ? https : http;
    const req = transport.request({
      hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: base.port || undefined,
      method: request.method,
      path: request.path,
      headers: request.headers,
      // A fresh connection per attempt: a hung socket is destroyed with its attempt, never reused.
      agent: false,
    }, (res) => {
      const answer = { kind: 'answer' as const, status: res.statusCode ?? 0, headers: res.headers };
      const declared = Number(res.headers['content-length']);
      if (declared > maxBodyBytes) {
        finish({ ...answer, body: '', oversize: { declaredBytes: declared } });
        req.destroy();
        return;
      }

      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          finish({ ...answer, body: '', oversize: {} });
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish({ ...answer, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => finish(connectionFailure(error)));
      res.on('close', () => finish(CLOSED_MID_BODY));
    });

    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error) => finish(connectionFailure(error)));
    req.end();
  });
}

function connectionFailure(error: Error & { code?: string }): TransportFailure {
  return { kind: 'connection', code: error.code ?? 'ECONNRESET', message: error.message };
}

function summarize(outcome: Outcome, attempt: number, durationMs: number): AttemptInfo {
  if (outcome.kind === 'answer') {
    const errorType = outcome.status === 200 ? undefined : readErrorType(outcome.headers, outcome.body);
    return { attempt, durationMs, status: outcome.status, ...(errorType ? { errorType } : {}) };
  }
  return { attempt, durationMs, error: outcome.kind === 'timeout' ? 'timeout' : outcome.code };
}

function isRetryable(outcome: Outcome): boolean {
  return outcome.kind !== 'answer' || RETRYABLE_STATUSES.has(outcome.status);
}

/** Capped exponential backoff with full jitter, so throttled callers spread out instead of retrying in step. */
function backoff(attempt: number, retry: RetryOptions | undefined): number {
  const base = retry?.baseDelayMs ?? 100;
  const cap = retry?.maxDelayMs ?? 5000;
  return Math.floor(Math.random() * Math.min(cap, base * 2 ** (attempt - 1)));
}

/** Retry-After as delta-seconds or an HTTP date. */
export function readRetryAfter(headers: http.IncomingHttpHeaders): number | undefined {
  const value = headers['retry-after']?.trim();
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function readCounts(answer: Answer, maxBodyBytes: number, subject: CallSubject): UsersCount {
  if (answer.oversize) {
    const declared = answer.oversize.declaredBytes;
    const size = declared === undefined ? '' : ` of ${declared} bytes,`;
    const limit = `over the ${maxBodyBytes}-byte limit for a users count`;
    const message = `${where(subject)}: GetUsersCount answered HTTP 200 with a body${size} ${limit}.`;
    throw new WickrError(message, 'response', { status: 200 });
  }
  try {
    return parseUsersCount(answer.body);
  } catch (error) {
    if (error instanceof CountsParseError) {
      const message = `${where(subject)}: GetUsersCount answered HTTP 200, but ${error.message}`;
      throw new WickrError(message, 'response', { status: 200 });
    }
    throw error;
  }
}

interface RetrySummary extends TimeLimits {
  readonly attempts: number;
  readonly stoppedBecause?: string;
}

function failure(last: Outcome | undefined, summary: RetrySummary, base: URL, subject: CallSubject): WickrError {
  const { attempts, stoppedBecause } = summary;
  if (last === undefined) {
    const message = `${where(subject)}: GetUsersCount was not called: ${stoppedBecause}.`;
    return new WickrError(message, 'timeout', { attempts });
  }
  if (last.kind !== 'answer') {
    const message = describeUnreachable(last, attempts, base.host, subject, summary);
    return new WickrError(message, last.kind, { attempts });
  }

  const errorType = readErrorType(last.headers, last.body);
  const info = { ...readServiceError({ ...last, errorType }, attempts), stoppedBecause };
  const requestId = last.headers['x-amzn-requestid'];
  return new WickrError(describeServiceError(info, subject), 'service', {
    status: last.status,
    errorType,
    attempts,
    requestId: Array.isArray(requestId) ? requestId[0] : requestId,
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
