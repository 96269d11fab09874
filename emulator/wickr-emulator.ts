import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** The five counts GetUsersCount returns. */
export interface UsersCount {
  pending: number;
  active: number;
  rejected: number;
  remaining: number;
  total: number;
}

/** An access key pair the emulator accepts as a signer. */
export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The key pair an emulator accepts when no `credentials` are given. Not a secret: it only opens the emulator. */
export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  accessKeyId: 'AKIDWICKREMULATOR',
  secretAccessKey: 'wickr-emulator-secret',
};

/** The errors the Wickr model declares for GetUsersCount. */
export type WickrErrorName = 'BadRequestError' | 'UnauthorizedError' | 'ForbiddenError' | 'ResourceNotFoundError'
  | 'ValidationError' | 'RateLimitError' | 'InternalServerError';

/** The HTTP status of each Wickr error, from the service model. */
export const WICKR_ERROR_STATUS: Readonly<Record<WickrErrorName, number>> = {
  BadRequestError: 400,
  UnauthorizedError: 401,
  ForbiddenError: 403,
  ResourceNotFoundError: 404,
  ValidationError: 422,
  RateLimitError: 429,
  InternalServerError: 500,
};

/** What the emulator does to a request instead of (or on the way to) its normal answer. */
export type EmulatorFault =
  | {
    kind: 'error';
    error: WickrErrorName;
    message?: string;
    /** Sent with ValidationError only (an empty list when not given), as the model declares. */
    reasons?: { field: string; reason: string }[];
    /**
     * Where the error type travels: the `x-amzn-errortype` header (default), the body's `code`, or the body's
     * `__type` with a namespace prefix and a `:` suffix, so that every way AWS SDKs read it can be tested.
     */
    typeIn?: 'header' | 'code' | '__type';
    retryAfterSeconds?: number;
  }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'malformed'; body?: string }
  | { kind: 'body'; body: string; status?: number }
  | { kind: 'trickle'; chunkBytes: number; intervalMs: number };

/** Which requests an injected fault applies to. */
export interface FaultOptions {
  /** How many matching requests get the fault; default: every one until `clearFaults()`. */
  times?: number;
  /** Only requests for this network; default: any network. */
  networkId?: string;
  /** The chance (0 to 1) that a matching request gets the fault, drawn from the emulator's seeded PRNG; default 1. */
  probability?: number;
}

export interface WickrEmulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** The accepted signers; default `[DEFAULT_CREDENTIALS]`. */
  credentials?: EmulatorCredentials[];
  /** Counts per network id; `total` is always recomputed as active + pending. */
  networks?: Record<string, Partial<UsersCount>>;
  /** Default true. */
  verifySignature?: boolean;
  /** Seed of the PRNG that decides probability faults; default 1. */
  seed?: number;
}

/** One request as the emulator saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  networkId?: string;
  /** From the SigV4 credential scope. */
  region?: string;
  accessKeyId?: string;
  /** The `x-amz-security-token` header, if any. */
  sessionToken?: string;
  status: number | 'reset' | 'hang';
  fault?: EmulatorFault['kind'];
  receivedAt: number;
}

const SERVICE = 'wickr';
const ROUTE = /^\/networks\/([^/]*)\/users\/count$/;
const NETWORK_ID = /^[0-9]{8}$/;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;
const ERROR_TYPE_NAMESPACE = 'com.amazonaws.wickr#';
const ERROR_TYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazonaws.wickr/';

const DEFAULT_MESSAGES: Record<WickrErrorName, string> = {
  BadRequestError: 'The request was invalid.',
  UnauthorizedError: 'The request is not authenticated.',
  ForbiddenError: 'You are not authorized to access this network.',
  ResourceNotFoundError: 'The network was not found.',
  ValidationError: 'The request failed validation.',
  RateLimitError: 'Rate exceeded.',
  InternalServerError: 'An internal error occurred.',
};

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface InjectedFault {
  fault: EmulatorFault;
  remaining: number;
  networkId?: string;
  probability: number;
}

interface Authorization {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
}

interface ParsedAuthorization {
  accessKeyId?: string;
  region?: string;
  problems: string[];
  complete?: Authorization;
}

/** Who signed a request, whether or not the signature holds, and the answer if it does not. */
interface AuthResult {
  region?: string;
  accessKeyId?: string;
  rejection?: Answer;
}

/**
 * A local stand-in for the Wickr Admin API's GetUsersCount: it verifies SigV4 like AWS, answers from the
 * networks it is given, and injects the faults a client must survive (errors, bad bodies, stalls, resets).
 */
export class WickrEmulator {
  /** Starts an emulator listening on `host:port` (default 127.0.0.1 on an ephemeral port). */
  static async start(options: WickrEmulatorOptions = {}): Promise<WickrEmulator> {
    const emulator = new WickrEmulator(options);
    await emulator.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return emulator;
  }

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly secrets = new Map<string, string>();
  private readonly networks = new Map<string, UsersCount>();
  private readonly verifySignature: boolean;
  private readonly random: () => number;
  private faults: InjectedFault[] = [];
  private log: RecordedRequest[] = [];
  private address?: { url: string; port: number };
  private stopping?: Promise<void>;

  private constructor(options: WickrEmulatorOptions) {
    for (const credentials of options.credentials ?? [DEFAULT_CREDENTIALS]) {
      this.secrets.set(credentials.accessKeyId, credentials.secretAccessKey);
    }
    for (const [networkId, counts] of Object.entries(options.networks ?? {})) {
      this.setNetwork(networkId, counts);
    }
    this.verifySignature = options.verifySignature ?? true;
    this.random = seededRandom(options.seed ?? 1);

    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.send(res, errorAnswer('InternalServerError', `The emulator failed: ${message}`));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** The base URL to point a client's endpoint at, e.g. `http://127.0.0.1:43121`. */
  get url(): string {
    return this.listening().url;
  }

  get port(): number {
    return this.listening().port;
  }

  /** What the emulator has received so far, oldest first. */
  get requests(): readonly RecordedRequest[] {
    return [...this.log];
  }

  /** Adds or replaces a network; missing counts are 0 and `total` is active + pending. */
  setNetwork(networkId: string, counts: Partial<Omit<UsersCount, 'total'>>): void {
    const count = (name: keyof Omit<UsersCount, 'total'>): number => {
      const value = counts[name] ?? 0;
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new Error(`${name} of network ${networkId} must be a non-negative integer, got ${value}`);
      }
      return value;
    };
    const pending = count('pending');
    const active = count('active');
    this.networks.set(networkId, {
      pending,
      active,
      rejected: count('rejected'),
      remaining: count('remaining'),
      total: active + pending,
    });
  }

  /** What the emulator serves for a network, `total` included, or undefined for a network it does not know. */
  network(networkId: string): UsersCount | undefined {
    const counts = this.networks.get(networkId);
    return counts && { ...counts };
  }

  removeNetwork(networkId: string): void {
    this.networks.delete(networkId);
  }

  /** Adds a fault; a request gets the first injected fault that matches it. */
  injectFault(fault: EmulatorFault, options: FaultOptions = {}): void {
    validateFault(fault);
    const times = options.times ?? Infinity;
    if (times !== Infinity && (!Number.isSafeInteger(times) || times < 1)) {
      throw new Error(`times must be a positive integer, got ${times}`);
    }
    const probability = options.probability ?? 1;
    if (!(probability >= 0 && probability <= 1)) {
      throw new Error(`probability must be between 0 and 1, got ${probability}`);
    }
    this.faults.push({ fault, remaining: times, networkId: options.networkId, probability });
  }

  clearFaults(): void {
    this.faults = [];
  }

  clearRequests(): void {
    this.log = [];
  }

  /** Closes the server and every open connection, including hanging and trickling ones. */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) {
        clearTimeout(timer);
      }
      this.timers.clear();
      this.server.close(() => resolve());
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
    return this.stopping;
  }

  private listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo;
        const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.address = { url: `http://${hostInUrl}:${address.port}`, port: address.port };
        resolve();
      });
    });
  }

  private listening(): { url: string; port: number } {
    if (!this.address) {
      throw new Error('The emulator is not listening; create it with WickrEmulator.start()');
    }
    return this.address;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const body = await readBody(req);
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
    const route = ROUTE.exec(path);
    const networkId = route ? decodeLabel(route[1]) : undefined;
    const auth = await this.authenticate(req, path, query, body);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      networkId,
      region: auth.region,
      accessKeyId: auth.accessKeyId,
      sessionToken: header(req, 'x-amz-security-token'),
      status: 0,
      receivedAt,
    };
    this.log.push(record);

    if (!route || req.method !== 'GET') {
      record.status = this.send(res, {
        status: 404,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' },
        body: JSON.stringify({ message: `No operation matches ${req.method} ${path}` }),
      });
      return;
    }
    if (auth.rejection) {
      record.status = this.send(res, auth.rejection);
      return;
    }

    const fault = this.drawFault(networkId!);
    if (fault) {
      record.fault = fault.kind;
    }
    switch (fault?.kind) {
      case 'hang':
        record.status = 'hang';
        return;
      case 'reset':
        record.status = 'reset';
        req.socket.resetAndDestroy();
        return;
      default:
        record.status = this.deliver(res, this.answer(networkId!, fault), fault);
    }
  }

  /** The response a fault dictates, or the service's own answer when the fault only changes how it travels. */
  private answer(networkId: string, fault?: EmulatorFault): Answer {
    switch (fault?.kind) {
      case 'error':
        return errorAnswer(fault.error, fault.message, fault);
      case 'status':
        return {
          status: fault.status,
          headers: fault.body ? { 'content-type': 'text/html; charset=utf-8' } : {},
          body: fault.body ?? '',
        };
      case 'malformed':
        return { status: 200, headers: { 'content-type': 'application/json' }, body: fault.body ?? '<html>oops' };
      case 'body':
        return { status: fault.status ?? 200, headers: { 'content-type': 'application/json' }, body: fault.body };
      default:
        return this.usersCount(networkId);
    }
  }

  private usersCount(networkId: string): Answer {
    if (!NETWORK_ID.test(networkId)) {
      return errorAnswer('ValidationError',
        `1 validation error detected: Value '${networkId}' at 'networkId' failed to satisfy constraint: `
        + 'Member must satisfy regular expression pattern: [0-9]{8}',
        { reasons: [{ field: 'networkId', reason: `must be exactly 8 digits, got '${networkId}'` }] });
    }
    const counts = this.networks.get(networkId);
    if (!counts) {
      return errorAnswer('ResourceNotFoundError', `Network ${networkId} was not found.`);
    }
    const { pending, active, rejected, remaining, total } = counts;
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pending, active, rejected, remaining, total }),
    };
  }

  private drawFault(networkId: string): EmulatorFault | undefined {
    for (const injected of this.faults) {
      if (injected.remaining <= 0 || (injected.networkId !== undefined && injected.networkId !== networkId)) {
        continue;
      }
      if (injected.probability < 1 && !(injected.probability > 0 && this.random() < injected.probability)) {
        continue;
      }
      injected.remaining -= 1;
      return injected.fault;
    }
    return undefined;
  }

  /** Sends an answer now, after a delay, or a few bytes at a time; returns its status. */
  private deliver(res: ServerResponse, answer: Answer, fault?: EmulatorFault): number {
    if (fault?.kind === 'delay') {
      this.later(fault.ms, () => this.send(res, answer));
    } else if (fault?.kind === 'trickle') {
      this.trickle(res, answer, fault.chunkBytes, fault.intervalMs);
    } else {
      this.send(res, answer);
    }
    return answer.status;
  }

  private send(res: ServerResponse, answer: Answer): number {
    if (!res.headersSent && !res.destroyed) {
      const body = Buffer.from(answer.body);
      res.writeHead(answer.status, withStandardHeaders(answer.headers, body.length));
      res.end(body);
    }
    return answer.status;
  }

  private trickle(res: ServerResponse, answer: Answer, chunkBytes: number, intervalMs: number): void {
    const body = Buffer.from(answer.body);
    res.writeHead(answer.status, withStandardHeaders(answer.headers, body.length));
    res.flushHeaders();
    const sendFrom = (offset: number): void => {
      if (res.destroyed) {
        return;
      }
      const end = Math.min(offset + chunkBytes, body.length);
      if (end >= body.length) {
        res.end(body.subarray(offset));
        return;
      }
      res.write(body.subarray(offset, end));
      this.later(intervalMs, () => sendFrom(end));
    };
    this.later(intervalMs, () => sendFrom(0));
  }

  private later(ms: number, action: () => void): void {
    if (this.stopping) {
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  /** Checks the SigV4 signature the way AWS front ends do, in the same order and with the same error names. */
  private async authenticate(req: IncomingMessage, path: string, query: string, body: Buffer): Promise<AuthResult> {
    const authorization = header(req, 'authorization');
    const dateHeader = header(req, 'x-amz-date');
    const parsed = authorization === undefined ? undefined : parseAuthorization(authorization, dateHeader);
    const signer = { region: parsed?.region, accessKeyId: parsed?.accessKeyId };
    if (!this.verifySignature) {
      return signer;
    }

    if (!parsed) {
      return { ...signer, rejection: authError('MissingAuthenticationTokenException', 'Missing Authentication Token') };
    }
    if (!parsed.complete) {
      return { ...signer, rejection: authError('IncompleteSignatureException', parsed.problems.join(' ')) };
    }
    const { accessKeyId, shortDate, region, service, amzDate, signedHeaders, signature } = parsed.complete;
    const secretAccessKey = this.secrets.get(accessKeyId);
    if (secretAccessKey === undefined) {
      return {
        ...signer,
        rejection: authError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
      };
    }
    const scopeProblem = scopeProblems(shortDate, service, amzDate);
    if (scopeProblem) {
      return { ...signer, rejection: authError('InvalidSignatureException', scopeProblem) };
    }
    const skewProblem = clockSkewProblem(amzDate, Date.now());
    if (skewProblem) {
      return { ...signer, rejection: authError('InvalidSignatureException', skewProblem) };
    }

    const expected = await expectedSignature(req, { path, query, body, amzDate, region, signedHeaders },
      { accessKeyId, secretAccessKey });
    if (!sameSignature(expected, signature)) {
      return {
        ...signer,
        rejection: authError('InvalidSignatureException', 'The request signature we calculated does not match the '
          + 'signature you provided. Check your AWS Secret Access Key and signing method. Consult the service '
          + 'documentation for details.'),
      };
    }
    return signer;
  }
}

function validateFault(fault: EmulatorFault): void {
  const nonNegative = (name: string, value: number): void => {
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`${fault.kind} fault: ${name} must be a non-negative number, got ${value}`);
    }
  };
  switch (fault.kind) {
    case 'error':
      if (!Object.prototype.hasOwnProperty.call(WICKR_ERROR_STATUS, fault.error)) {
        throw new Error(`error fault: error must be one of ${Object.keys(WICKR_ERROR_STATUS).join(', ')}, `
          + `got ${fault.error}`);
      }
      break;
    case 'status':
    case 'body':
      if (fault.status !== undefined && !isHttpStatus(fault.status)) {
        throw new Error(`${fault.kind} fault: status must be an integer from 200 to 599, got ${fault.status}`);
      }
      break;
    case 'delay':
      nonNegative('ms', fault.ms);
      break;
    case 'trickle':
      if (!Number.isSafeInteger(fault.chunkBytes) || fault.chunkBytes < 1) {
        throw new Error(`trickle fault: chunkBytes must be a positive integer, got ${fault.chunkBytes}`);
      }
      nonNegative('intervalMs', fault.intervalMs);
      break;
    default:
      break;
  }
}

function isHttpStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 200 && status <= 599;
}

function errorAnswer(name: WickrErrorName, message?: string,
  options: Pick<Extract<EmulatorFault, { kind: 'error' }>, 'reasons' | 'typeIn' | 'retryAfterSeconds'> = {}): Answer {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const body: Record<string, unknown> = {};
  switch (options.typeIn ?? 'header') {
    case 'header':
      headers['x-amzn-errortype'] = name;
      break;
    case 'code':
      body.code = name;
      break;
    case '__type':
      body.__type = `${ERROR_TYPE_NAMESPACE}${name}${ERROR_TYPE_SUFFIX}`;
      break;
  }
  body.message = message ?? DEFAULT_MESSAGES[name];
  if (name === 'ValidationError') {
    body.reasons = options.reasons ?? [];
  }
  if (options.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(options.retryAfterSeconds);
  }
  return { status: WICKR_ERROR_STATUS[name], headers, body: JSON.stringify(body) };
}

function authError(type: string, message: string): Answer {
  return {
    status: 403,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ message }),
  };
}

function withStandardHeaders(headers: Record<string, string>, contentLength: number): Record<string, string | number> {
  return { ...headers, 'content-length': contentLength, 'x-amzn-requestid': randomUUID() };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy(new Error(`request body larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeLabel(label: string): string {
  try {
    return decodeURIComponent(label);
  } catch {
    return label;
  }
}

/**
 * Reads `AWS4-HMAC-SHA256 Credential=key/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`.
 * `problems` lists what AWS would name as missing or malformed, in its words; `parts` is set only when none is.
 */
function parseAuthorization(authorization: string, amzDate: string | undefined): ParsedAuthorization {
  const [algorithm, ...rest] = authorization.trim().split(/\s+/);
  const parameters = new Map<string, string>();
  for (const part of rest.join(' ').split(',')) {
    const separator = part.indexOf('=');
    if (separator > 0) {
      parameters.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
    }
  }
  const credential = parameters.get('Credential');
  const scope = credential?.split('/') ?? [];
  const [accessKeyId, shortDate, region, service, terminator] = scope;
  const signedHeaders = parameters.get('SignedHeaders');
  const signature = parameters.get('Signature');

  const problems: string[] = [];
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    problems.push(`Unsupported authorization algorithm '${algorithm}', expected 'AWS4-HMAC-SHA256'.`);
  }
  if (credential === undefined) {
    problems.push('Authorization header requires \'Credential\' parameter.');
  } else if (scope.length !== 5 || terminator !== 'aws4_request') {
    problems.push('Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, '
      + `got '${scope.slice(1).join('/')}'.`);
  }
  if (!signature) {
    problems.push('Authorization header requires \'Signature\' parameter.');
  }
  if (!signedHeaders) {
    problems.push('Authorization header requires \'SignedHeaders\' parameter.');
  }
  if (amzDate === undefined || parseAmzDate(amzDate) === undefined) {
    problems.push('Authorization header requires existence of a valid \'X-Amz-Date\' header.');
  }

  const complete = problems.length === 0 ? {
    accessKeyId,
    shortDate,
    region,
    service,
    amzDate: amzDate!,
    signedHeaders: signedHeaders!.split(';'),
    signature: signature!,
  } : undefined;
  return { accessKeyId, region, problems, complete };
}

function scopeProblems(shortDate: string, service: string, amzDate: string): string | undefined {
  if (service !== SERVICE) {
    return `Credential should be scoped to correct service: '${SERVICE}'.`;
  }
  if (shortDate !== amzDate.slice(0, 8)) {
    return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${shortDate}' `
      + `!= '${amzDate.slice(0, 8)}', from '${amzDate}'.`;
  }
  return undefined;
}

/** AWS rejects a signature dated more than 15 minutes from its own clock, and says so in these words. */
function clockSkewProblem(amzDate: string, now: number): string | undefined {
  const signedAt = parseAmzDate(amzDate)!;
  if (signedAt < now - MAX_CLOCK_SKEW_MS) {
    return `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} `
      + `(${formatAmzDate(now)} - 15 min.)`;
  }
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    return `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} `
      + `(${formatAmzDate(now)} + 15 min.)`;
  }
  return undefined;
}

function parseAmzDate(amzDate: string): number | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!parts) {
    return undefined;
  }
  const [year, month, day, hours, minutes, seconds] = parts.slice(1).map(Number);
  const time = Date.UTC(year, month - 1, day, hours, minutes, seconds);
  return new Date(time).getUTCDate() === day ? time : undefined;
}

function formatAmzDate(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

interface ArrivedRequest {
  path: string;
  query: string;
  body: Buffer;
  amzDate: string;
  region: string;
  signedHeaders: string[];
}

/**
 * Signs the request again as it arrived: same method, raw path and query, only the headers the client said it
 * signed, the client's date and the region of its credential scope. The signer adds the date and session token
 * headers itself, so they are handed to it rather than copied.
 */
async function expectedSignature(req: IncomingMessage, arrived: ArrivedRequest,
  credentials: EmulatorCredentials): Promise<string> {
  const signed = new Set(arrived.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = header(req, name);
    if (value !== undefined && name !== 'x-amz-date' && name !== 'x-amz-security-token') {
      headers[name] = value;
    }
  }
  const sessionToken = signed.has('x-amz-security-token') ? header(req, 'x-amz-security-token') : undefined;
  const request = new HttpRequest({
    method: req.method,
    hostname: header(req, 'host')?.replace(/:\d+$/, ''),
    path: arrived.path,
    query: parseQuery(arrived.query),
    headers,
    body: arrived.body.length > 0 ? arrived.body : undefined,
  });
  const signer = new SignatureV4({
    credentials: { ...credentials, sessionToken },
    region: arrived.region,
    service: SERVICE,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signedRequest = await signer.sign(request, {
    signingDate: new Date(parseAmzDate(arrived.amzDate)!),
    signingRegion: arrived.region,
    signingService: SERVICE,
    signableHeaders: signed,
  });
  return /Signature=([0-9a-f]+)/.exec(signedRequest.headers.authorization)![1];
}

function parseQuery(query: string): Record<string, string | string[]> {
  const parsed: Record<string, string | string[]> = {};
  for (const pair of query.split('&').filter((part) => part.length > 0)) {
    const separator = pair.indexOf('=');
    const key = decodeLabel(separator === -1 ? pair : pair.slice(0, separator));
    const value = separator === -1 ? '' : decodeLabel(pair.slice(separator + 1));
    const existing = parsed[key];
    parsed[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return parsed;
}

function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

const LEHMER_MODULUS = 2_147_483_647;
const LEHMER_MULTIPLIER = 48_271;

/**
 * The Lehmer "minimal standard" generator: the same seed gives the same fault decisions on every run. Its
 * products stay below 2^53, so plain number arithmetic is exact.
 */
function seededRandom(seed: number): () => number {
  let state = Math.abs(Math.trunc(seed)) % LEHMER_MODULUS || 1;
  return () => {
    state = (state * LEHMER_MULTIPLIER) % LEHMER_MODULUS;
    return (state - 1) / (LEHMER_MODULUS - 1);
  };
}
