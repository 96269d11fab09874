import * as http from 'node:http';
import * as https from 'node:https';
import { Logger, withoutQuery } from './log';

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
export function encodeResponse(response: CloudFormationResponse, limit: number = MAX_RESPONSE_BYTES): string {
  let current = response;
  let body = JSON.stringify(current);

  const reasonExcess = Buffer.byteLength(body) - limit;
  if (reasonExcess > 0 && current.Reason) {
    current = { ...current, Reason: shorten(current.Reason, reasonExcess) };
    body = JSON.stringify(current);
  }

  const messageExcess = Buffer.byteLength(body) - limit;
  const guardMessage = current.Data?.GuardMessage;
  if (messageExcess > 0 && typeof guardMessage === 'string') {
    current = { ...current, Data: { ...current.Data, GuardMessage: shorten(guardMessage, messageExcess) } };
    body = JSON.stringify(current);
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
  return keep > 0 ? `${text.slice(0, keep)}${TRUNCATED}` : '';
}

function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/**
 * The ResponseURL as a URL that may receive the answer: https, or http to this machine only so a local
 * CloudFormation stand-in can listen. Anything else is refused rather than sent a response in clear text.
 */
export function parseResponseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  try {
    const url = new URL(value);
    const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && local) ? url : undefined;
  } catch {
    return undefined;
  }
}

export interface PutResponseOptions {
  readonly log: Logger;
  /** Epoch milliseconds after which no attempt starts. @default no deadline */
  readonly deadline?: number;
  /** @default 5 */
  readonly maxAttempts?: number;
  /** @default 200 */
  readonly baseDelayMs?: number;
  /** @default 10000 */
  readonly attemptTimeoutMs?: number;
}

/**
 * PUTs the answer, retrying what a retry can fix (5xx, resets, timeouts). A 4xx means the presigned URL itself
 * is refused (expired, or the stack is gone), which no retry changes.
 */
export async function putResponse(url: URL, body: string, options: PutResponseOptions): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 5;
  const log = options.log.with({ url: withoutQuery(url.href) });
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    const timeoutMs = Math.min(options.attemptTimeoutMs ?? 10_000, (options.deadline ?? Infinity) - startedAt);
    const status = await put(url, body, Math.max(timeoutMs, 500));
    const durationMs = Date.now() - startedAt;

    if (typeof status === 'number' && status >= 200 && status < 300) {
      log.info('Answered CloudFormation', { attempt, status, durationMs });
      return;
    }
    const retryable = typeof status !== 'number' || status >= 500;
    const delay = Math.floor(Math.random() * (options.baseDelayMs ?? 200) * 2 ** (attempt - 1));
    const timeLeft = (options.deadline ?? Infinity) - Date.now() - delay;
    if (!retryable || attempt >= maxAttempts || timeLeft < 500) {
      log.error('Could not answer CloudFormation', { attempt, status, durationMs });
      throw new Error(`The response to CloudFormation was not accepted (${status}, attempt ${attempt}).`);
    }
    log.warn('Answering CloudFormation failed; retrying', { attempt, status, durationMs, retryInMs: delay });
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The status, or the connection error's code. */
function put(url: URL, body: string, timeoutMs: number): Promise<number | string> {
  return new Promise((resolve) => {
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, {
      method: 'PUT',
      // S3 presigned URLs are signed without a content type; sending one would break the signature.
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      agent: false,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve('ECONNRESET'));
    });
    const timer = setTimeout(() => {
      resolve('timeout');
      req.destroy();
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error: Error & { code?: string }) => resolve(error.code ?? 'ECONNRESET'));
    req.end(body);
  });
}
