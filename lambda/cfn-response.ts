import { Logger } from './log';
import { send } from './wickr/http';

/** The body CloudFormation expects at a custom resource's ResponseURL. */
export interface CloudFormationResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Readonly<Record<string, string | number>>;
}

/** CloudFormation rejects a response body larger than this. */
export const MAX_RESPONSE_BYTES = 4096;

const TRUNCATED = '... (truncated)';

/**
 * Serializes a response within {@link MAX_RESPONSE_BYTES}, whatever the API answered: the Reason gives way first,
 * then the GuardMessage, because the counts and the verdict are what a stack consumes.
 */
export function encodeResponse(response: CloudFormationResponse, limit = MAX_RESPONSE_BYTES): string {
  const body = JSON.stringify(response);
  const excess = Buffer.byteLength(body) - limit;
  const { Reason, Data } = response;
  if (excess <= 0) {
    return body;
  }
  if (Reason) {
    return encodeResponse({ ...response, Reason: shorten(Reason, excess) }, limit);
  }
  if (typeof Data?.GuardMessage === 'string' && Data.GuardMessage) {
    return encodeResponse({ ...response, Data: { ...Data, GuardMessage: shorten(Data.GuardMessage, excess) } }, limit);
  }
  return body;
}

/** The longest start of `text` whose JSON form is `excessBytes` shorter, marked as truncated. */
function shorten(text: string, excessBytes: number): string {
  const budget = jsonBytes(text) - excessBytes - TRUNCATED.length;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (jsonBytes(text.slice(0, middle)) <= budget) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  // Never split a surrogate pair: half a character would be escaped as a lone surrogate.
  const keep = /[\ud800-\udbff]/.test(text.charAt(low - 1)) ? low - 1 : low;
  return keep > 0 ? text.slice(0, keep) + TRUNCATED : '';
}

function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/**
 * The ResponseURL as a URL that may receive the answer: https, or http to this machine only so a local
 * CloudFormation stand-in can listen. Anything else is refused rather than sent a response in clear text.
 */
export function parseResponseUrl(value: unknown): URL | undefined {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  const local = /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url?.hostname ?? '');
  return url?.protocol === 'https:' || (url?.protocol === 'http:' && local) ? url : undefined;
}

/** An attempt to answer gets at least this long, and none starts with less time left. */
const MIN_ATTEMPT_MS = 500;

/**
 * PUTs the answer in up to 5 attempts before `deadline`, retrying what a retry can fix (5xx, resets, timeouts). A
 * 4xx means the presigned URL itself is refused (expired, or the stack is gone), which no retry changes.
 */
export async function putResponse(url: URL, body: string, log: Logger, deadline: number): Promise<void> {
  // A presigned URL's query string is a credential; only its origin and path may be logged.
  const scoped = log.with({ url: url.origin + url.pathname });
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    // S3 presigned URLs are signed without a content type; sending one would break the signature.
    const headers = { 'content-type': '', 'content-length': Buffer.byteLength(body) };
    const timeoutMs = Math.max(MIN_ATTEMPT_MS, Math.min(10_000, deadline - startedAt));
    const { status = 0, error } = await send(url, 'PUT', headers, body, timeoutMs);
    const fields = { attempt, status: status || error, durationMs: Date.now() - startedAt };

    if (status >= 200 && status < 300) {
      scoped.info('Answered CloudFormation', fields);
      return;
    }
    const delay = Math.floor(Math.random() * 200 * 2 ** (attempt - 1));
    if ((status && status < 500) || attempt >= 5 || deadline - Date.now() - delay < MIN_ATTEMPT_MS) {
      scoped.error('Could not answer CloudFormation', fields);
      throw new Error(`The response to CloudFormation was not accepted (${fields.status}, attempt ${attempt}).`);
    }
    scoped.warn('Answering CloudFormation failed; retrying', { ...fields, retryInMs: delay });
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
