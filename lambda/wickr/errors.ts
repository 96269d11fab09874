import { excerpt } from './counts';
import { partitionOf } from './endpoint';
import { Exchange } from './http';

/** Where a call went, and who made it: what every message names so a reader knows what to fix. */
export interface CallSubject {
  readonly networkId: string;
  readonly region: string;
  /** The account whose credentials call, for the IAM resource ARN in a permission hint. @default "<account>" */
  readonly accountId?: string;
  /** Who needs the permission, e.g. "the function's role". @default "the caller" */
  readonly principal?: string;
}

/** Response headers as Node hands them over. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface ValidationReason {
  readonly field?: string;
  readonly reason?: string;
}

export type WickrErrorKind =
  /** The service answered with an error status. */
  | 'service'
  /** No answer arrived in time, or the connection broke, on every attempt. */
  | 'timeout'
  | 'connection'
  /** A 200 whose body is not a users count. */
  | 'response'
  /** Nothing was sent: the region, endpoint or credentials are unusable. */
  | 'configuration';

export interface WickrErrorDetails {
  readonly status?: number;
  readonly errorType?: string;
  readonly attempts?: number;
  readonly requestId?: string;
}

/** Every failure of a GetUsersCount call; the message is written for the person who has to fix it. */
export class WickrError extends Error {
  public readonly name = 'WickrError';

  constructor(message: string, public readonly kind: WickrErrorKind, public readonly details: WickrErrorDetails = {}) {
    super(message);
  }
}

/** The statuses AWS SDKs retry: throttling and transient server faults. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

export function where(subject: CallSubject): string {
  return `Wickr network ${subject.networkId} (${subject.region})`;
}

/** The IAM resource GetUsersCount is authorized on. */
export function networkArn(subject: CallSubject): string {
  const partition = partitionOf(subject.region).name;
  return `arn:${partition}:wickr:${subject.region}:${subject.accountId ?? '<account>'}:network/${subject.networkId}`;
}

/**
 * Reads an error's type as AWS SDKs do for restJson1: the `x-amzn-errortype` header, then `code`, then `__type`
 * in the body.
 */
export function readErrorType(headers: ResponseHeaders, body: string): string | undefined {
  const parsed = parseObject(body);
  const fromBody = [parsed?.code, parsed?.__type].find((value) => value && typeof value === 'string');
  const raw = headers['x-amzn-errortype'] || fromBody;
  return raw ? sanitizeErrorType(String(raw)) : undefined;
}

/** `com.amazonaws.wickr#RateLimitError:http://internal.amazon.com/` is `RateLimitError`. */
export function sanitizeErrorType(raw: string): string {
  return raw.split(':')[0].split('#').pop()!.trim();
}

export interface ServiceErrorInfo {
  readonly status: number;
  readonly errorType?: string;
  /** The service's own words (`message`, or `Message` as some AWS front ends send it). */
  readonly serviceMessage?: string;
  /** ValidationError's `reasons`. */
  readonly reasons?: readonly ValidationReason[];
  readonly attempts: number;
  /** Why retrying stopped early, e.g. a Retry-After past the deadline. */
  readonly stoppedBecause?: string;
}

/** The sentence a person in the CloudFormation console (or at a terminal) can act on. */
export function describeServiceError(info: ServiceErrorInfo, subject: CallSubject): string {
  const status = `HTTP ${info.status}`;
  const quoted = info.serviceMessage && `"${info.serviceMessage}"`;
  const what = info.errorType
    ? `${info.errorType} (${status}${quoted ? `, ${quoted}` : ''})`
    : status + (quoted ? ` (${quoted})` : '');
  const stopped = info.stoppedBecause ? ` ${capitalize(info.stoppedBecause)}.` : '';
  return `${where(subject)}: GetUsersCount failed with ${what}. ${fixFor(info, subject)}${stopped}`;
}

/** The time a call was given, retries included, and the most one attempt could take. */
export interface TimeLimits {
  readonly budgetMs: number;
  readonly attemptTimeoutMs: number;
}

/** No answer at all: the last attempt timed out or lost its connection. */
export function describeUnreachable(
  failure: Exchange, attempts: number, host: string, subject: CallSubject, limits: TimeLimits,
): string {
  const tried = plural(attempts, 'attempt');
  const what = failure.error === 'timeout'
    ? `got no answer from ${host} in ${tried} (each allowed at most ${seconds(limits.attemptTimeoutMs)}, `
      + `${seconds(limits.budgetMs)} in all)`
    : `could not reach ${host} (${failure.error}: ${excerpt(failure.message ?? '', 200)}) after ${tried}`;
  return `${where(subject)}: GetUsersCount ${what}. Check that ${host} is reachable from where this runs `
    + '(from a VPC, through a NAT gateway) or allow a longer timeout.';
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const SERVES_THE_API = 'check that the endpoint serves the Wickr Admin API.';

function fixFor(info: ServiceErrorInfo, subject: CallSubject): string {
  const principal = subject.principal ?? 'the caller';
  const retries = `after ${plural(info.attempts, 'attempt')}`
    + (info.attempts > 1 ? ` (retried ${plural(info.attempts - 1, 'time')})` : '');
  switch (info.errorType) {
    case 'ForbiddenError':
    case 'AccessDeniedException':
      return `${capitalize(principal)} needs wickr:GetUsersCount on ${networkArn(subject)}.`;
    case 'UnauthorizedError':
      return `The credentials of ${principal} were not accepted; check that they are valid and have not expired.`;
    case 'ResourceNotFoundError':
      return `There is no network ${subject.networkId} in ${subject.region}; check the network id and that the region `
        + 'is the network\'s own region.';
    case 'ValidationError':
      return `${describeReasons(info.reasons)}Correct the network id or the region.`;
    case 'BadRequestError':
      return 'The service rejected the request as malformed; check the network id and the region.';
    case 'RateLimitError':
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return `Throttled ${retries}; retry later or allow a longer timeout for more retries.`;
    case 'InternalServerError':
      return `The service kept failing ${retries}; retry later, and contact AWS Support if it persists.`;
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return `The access key of ${principal} is not recognized; check the credentials and, for temporary credentials, `
        + 'the session token.';
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
      return `The request signature did not match; check the secret access key of ${principal} and the clock of the `
        + 'machine that signs.';
    case 'ExpiredTokenException':
      return `The session token of ${principal} has expired; retry with fresh credentials.`;
    case 'MissingAuthenticationTokenException':
    case 'IncompleteSignatureException':
      return `The request arrived without a complete signature; ${SERVES_THE_API}`;
    default:
      return RETRYABLE_STATUSES.has(info.status)
        ? `The service was unavailable ${retries}; retry later.`
        : `This is not an answer the Wickr Admin API documents; ${SERVES_THE_API}`;
  }
}

function describeReasons(reasons: ServiceErrorInfo['reasons'] = []): string {
  const listed = reasons.map((item) => `${item.field ?? '(no field)'}: ${item.reason ?? '(no reason)'}`).join('; ');
  return listed && `Reasons: ${excerpt(listed, 500)}. `;
}

/** A JSON object, or nothing for any other body. */
export function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(body);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
