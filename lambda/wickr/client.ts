import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { excerpt, parseUsersCount, UsersCount } from './counts';
import { resolveEndpoint } from './endpoint';
import {
  CallSubject, describeServiceError, describeUnreachable, parseObject, readErrorType, RETRYABLE_STATUSES, seconds,
  TimeLimits, where, WickrError,
} from './errors';
import { Exchange, send } from './http';

/** The Wickr Admin API's network ids: exactly 8 digits. */
export function isNetworkId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9]{8}$/.test(value);
}

/** Credentials are handed in: the Lambda reads its environment, the command-line tool the SDK's chain. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RetryOptions {
  /** @default - as many as the deadline allows */
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
   * @default a third of the time to the deadline, from 1 s to 10 s
   */
  readonly attemptTimeoutMs?: number;
  /** @default 65536 */
  readonly maxBodyBytes?: number;
  readonly onAttempt?: (info: AttemptInfo) => void;
}

/** An attempt needs at least this long to be worth starting. */
const MIN_ATTEMPT_MS = 200;

const NO_TIME_LEFT = 'no time was left before the deadline for another attempt';

/** Reads a network's user counts with GetUsersCount, retrying throttling and transient faults until the deadline. */
export async function getUsersCount(options: GetUsersCountOptions): Promise<UsersCount> {
  const { deadline, retry = {}, maxBodyBytes = 65_536 } = options;
  const startedAt = Date.now();
  const base = new URL(prepare(options));
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}/networks/${options.networkId}/users/count`, base);
  const signer = new SignatureV4({
    service: 'wickr',
    region: options.region,
    credentials: options.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  // The deadline, not a count, bounds the retries: a throttling storm that clears within the budget must not fail
  // a deployment after a second and a half.
  const maxAttempts = retry.maxAttempts ?? Infinity;
  // GetUsersCount answers in well under a second; an attempt taking longer than 10 s is hung, and cutting it there
  // leaves the rest of the budget for retries.
  const attemptTimeoutMs = options.attemptTimeoutMs
    ?? Math.min(10_000, Math.max(1000, Math.floor((deadline - startedAt) / 3)));

  let last: Exchange | undefined;
  let stoppedBecause: string | undefined;
  let attempt = 0;
  for (;;) {
    const left = deadline - Date.now();
    if (left < MIN_ATTEMPT_MS) {
      stoppedBecause = attempt ? NO_TIME_LEFT : `only ${seconds(Math.max(0, left))} was left before the deadline`;
      break;
    }

    attempt++;
    const attemptStart = Date.now();
    const request = await signer.sign({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      headers: { host: url.host, accept: 'application/json' },
    });
    last = await send(url, 'GET', request.headers, undefined, Math.min(attemptTimeoutMs, left), maxBodyBytes);
    const { status, headers = {}, body = '' } = last;

    let retryInMs: number | undefined;
    if ((!status || RETRYABLE_STATUSES.has(status)) && attempt < maxAttempts) {
      const retryAfterMs = readRetryAfter(headers);
      // A backoff that would run past the deadline is cut short, so the time left goes to one last attempt instead
      // of being given up; it leaves that attempt twice the minimum, as timers fire late. Retry-After is not cut.
      const delay = retryAfterMs ?? Math.min(backoff(attempt, retry), deadline - Date.now() - 2 * MIN_ATTEMPT_MS);
      if (delay < 0 || Date.now() + delay + MIN_ATTEMPT_MS > deadline) {
        stoppedBecause = retryAfterMs === undefined
          ? NO_TIME_LEFT
          : `the service asked to wait ${seconds(retryAfterMs)} before retrying, which would pass the deadline`;
      } else {
        retryInMs = delay;
      }
    }
    options.onAttempt?.({
      attempt,
      durationMs: Date.now() - attemptStart,
      status,
      errorType: status && status !== 200 ? readErrorType(headers, body) : undefined,
      error: last.error,
      retryInMs,
    });
    if (status === 200) {
      return readCounts(last, maxBodyBytes, options);
    }
    if (retryInMs === undefined) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, retryInMs));
  }

  throw failure(last, attempt, { budgetMs: deadline - startedAt, attemptTimeoutMs }, stoppedBecause, url.host, options);
}

function prepare(options: GetUsersCountOptions): string {
  const fail = (message: string) => new WickrError(message, 'configuration');
  if (!Number.isFinite(options.deadline)) {
    throw fail(`The deadline must be a time in epoch milliseconds, got ${options.deadline}.`);
  }
  if (!isNetworkId(options.networkId)) {
    throw fail(`The network id must be 8 digits, got ${JSON.stringify(options.networkId)}.`);
  }
  if (!options.credentials?.accessKeyId || !options.credentials.secretAccessKey) {
    throw fail(`${where(options)}: no AWS credentials to sign GetUsersCount with.`);
  }
  try {
    return options.endpoint || resolveEndpoint(options).url;
  } catch (error) {
    throw fail(`${where(options)}: ${(error as Error).message}`);
  }
}

/** Capped exponential backoff with full jitter, so throttled callers spread out instead of retrying in step. */
function backoff(attempt: number, retry: RetryOptions): number {
  const ceiling = Math.min(retry.maxDelayMs ?? 5000, (retry.baseDelayMs ?? 100) * 2 ** (attempt - 1));
  return Math.floor(Math.random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date. */
export function readRetryAfter(headers: Readonly<Record<string, string | string[] | undefined>>): number | undefined {
  const value = String(headers['retry-after'] ?? '').trim();
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000;
  }
  const date = Date.parse(value);
  return date ? Math.max(0, date - Date.now()) : undefined;
}

function readCounts(answer: Exchange, maxBodyBytes: number, subject: CallSubject): UsersCount {
  const answered = `${where(subject)}: GetUsersCount answered HTTP 200`;
  const fail = (message: string) => new WickrError(message, 'response', { status: 200 });
  if (answer.body === undefined) {
    const size = answer.declaredBytes ? ` of ${answer.declaredBytes} bytes,` : '';
    throw fail(`${answered} with a body${size} over the ${maxBodyBytes}-byte limit for a users count.`);
  }
  try {
    return parseUsersCount(answer.body);
  } catch (error) {
    throw fail(`${answered}, but ${(error as Error).message}`);
  }
}

function failure(
  last: Exchange | undefined, attempts: number, limits: TimeLimits, stoppedBecause: string | undefined, host: string,
  subject: CallSubject,
): WickrError {
  if (!last) {
    const message = `${where(subject)}: GetUsersCount was not called: ${stoppedBecause}.`;
    return new WickrError(message, 'timeout', { attempts });
  }
  const { status, headers = {}, body, error } = last;
  if (!status) {
    const message = describeUnreachable(last, attempts, host, subject, limits);
    return new WickrError(message, error === 'timeout' ? 'timeout' : 'connection', { attempts });
  }

  const errorType = readErrorType(headers, body ?? '');
  // The service's own words (`message`, or `Message` as some AWS front ends send it) and ValidationError's reasons.
  const parsed = parseObject(body ?? '');
  const message = parsed?.message ?? parsed?.Message;
  const reasons = parsed?.reasons;
  const info = {
    status,
    errorType,
    serviceMessage: typeof message === 'string' && message.trim() ? excerpt(message, 300) : undefined,
    reasons: Array.isArray(reasons) ? reasons.filter((item) => typeof item === 'object' && item) : undefined,
    attempts,
    stoppedBecause,
  };
  // Node joins a repeated header into one string; only set-cookie arrives as a list.
  const requestId = headers['x-amzn-requestid'] as string | undefined;
  return new WickrError(describeServiceError(info, subject), 'service', { status, errorType, attempts, requestId });
}
