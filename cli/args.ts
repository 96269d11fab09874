import { isNetworkId } from '../lambda/wickr/client';
import { isRegion } from '../lambda/wickr/endpoint';
import { GuardConditions, hasConditions } from '../lambda/wickr/guard';

/**
 * Turns the command line into one of the tool's commands. Every rejection is a `UsageError` that names the
 * argument and repeats the value, so the person typing sees at once what to change.
 */

/** The counts a person can seed an emulated network with; `total` is always active + pending. */
export type SeedCountName = 'active' | 'pending' | 'rejected' | 'remaining';
export type SeedCounts = Partial<Record<SeedCountName, number>>;

export interface CountCommand {
  readonly command: 'count';
  readonly networkId: string;
  readonly region?: string;
  readonly profile?: string;
  readonly conditions: GuardConditions;
  readonly warnOnly: boolean;
  readonly json: boolean;
  readonly endpointUrl?: string;
  readonly useFips: boolean;
  readonly useDualStack: boolean;
  readonly timeoutSeconds: number;
}

/** The faults `--fail` offers: the seven Wickr errors and the ways a connection can go wrong. */
export const FAIL_KINDS = [
  'BadRequestError', 'UnauthorizedError', 'ForbiddenError', 'ResourceNotFoundError', 'ValidationError',
  'RateLimitError', 'InternalServerError', 'hang', 'reset', 'malformed',
] as const;
export type FailKind = typeof FAIL_KINDS[number];

export interface EmulatorCommand {
  readonly command: 'emulator';
  readonly host: string;
  readonly port: number;
  readonly networks: Readonly<Record<string, SeedCounts>>;
  readonly fail?: FailKind;
  /** How many requests get the fault; undefined: all of them. */
  readonly failTimes?: number;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
}

export interface HelpCommand {
  readonly command: 'help';
  readonly topic: 'count' | 'emulator';
}

export interface VersionCommand {
  readonly command: 'version';
}

export type Command = CountCommand | EmulatorCommand | HelpCommand | VersionCommand;

/** A command line the tool cannot run; the message names the argument at fault. */
export class UsageError extends Error {
  public readonly name = 'UsageError';
  constructor(message: string, public readonly topic: 'count' | 'emulator' = 'count') {
    super(message);
  }
}

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const MAX_TIMEOUT_SECONDS = 300;
export const DEFAULT_EMULATOR_PORT = 4566;

/** The network the emulator serves when none is given, so the example it prints works as is. */
export const DEFAULT_EMULATOR_NETWORKS: Readonly<Record<string, SeedCounts>> = {
  12345678: { active: 40, pending: 5, rejected: 2, remaining: 55 },
};

const NON_NEGATIVE_INTEGER = /^(0|[1-9][0-9]*)$/;
const SEED_COUNT_NAMES: readonly SeedCountName[] = ['active', 'pending', 'rejected', 'remaining'];

type OptionKind = 'flag' | 'value' | 'list';

const COUNT_OPTIONS: Readonly<Record<string, OptionKind>> = {
  'network-id': 'value',
  'region': 'value',
  'profile': 'value',
  'min-remaining': 'value',
  'max-pending': 'value',
  'max-active': 'value',
  'max-total': 'value',
  'warn-only': 'flag',
  'json': 'flag',
  'endpoint-url': 'value',
  'fips': 'flag',
  'dual-stack': 'flag',
  'timeout': 'value',
  'help': 'flag',
  'version': 'flag',
};

const EMULATOR_OPTIONS: Readonly<Record<string, OptionKind>> = {
  'host': 'value',
  'port': 'value',
  'network': 'list',
  'fail': 'value',
  'fail-times': 'value',
  'access-key-id': 'value',
  'secret-access-key': 'value',
  'help': 'flag',
  'version': 'flag',
};

const SHORT_OPTIONS: Readonly<Record<string, string>> = { '-h': 'help', '-v': 'version' };

interface Scanned {
  readonly flags: Set<string>;
  readonly values: Map<string, string>;
  readonly lists: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === 'emulator') {
    return parseEmulator(scan(rest, EMULATOR_OPTIONS, 'emulator'));
  }
  if (first === 'help') {
    return { command: 'help', topic: rest[0] === 'emulator' ? 'emulator' : 'count' };
  }
  return parseCount(scan(first === 'count' ? rest : argv, COUNT_OPTIONS, 'count'));
}

type Topic = UsageError['topic'];

function scan(argv: readonly string[], options: Readonly<Record<string, OptionKind>>, topic: Topic): Scanned {
  const scanned: Scanned = { flags: new Set(), values: new Map(), lists: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (SHORT_OPTIONS[arg]) {
      scanned.flags.add(SHORT_OPTIONS[arg]);
      continue;
    }
    if (!arg.startsWith('--')) {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`, topic);
    }

    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const kind = options[name];
    if (!kind) {
      throw new UsageError(`unknown option --${name}`, topic);
    }
    if (kind === 'flag') {
      if (equals !== -1) {
        throw new UsageError(`--${name} takes no value, got ${JSON.stringify(arg.slice(equals + 1))}`, topic);
      }
      scanned.flags.add(name);
      continue;
    }

    let value: string;
    if (equals !== -1) {
      value = arg.slice(equals + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`--${name} needs a value`, topic);
      }
      value = next;
      i++;
    }
    if (kind === 'list') {
      scanned.lists.set(name, [...(scanned.lists.get(name) ?? []), value]);
    } else if (scanned.values.has(name)) {
      throw new UsageError(`--${name} is given twice`, topic);
    } else {
      scanned.values.set(name, value);
    }
  }
  return scanned;
}

function parseCount(scanned: Scanned): Command {
  if (scanned.flags.has('help')) {
    return { command: 'help', topic: 'count' };
  }
  if (scanned.flags.has('version')) {
    return { command: 'version' };
  }

  const networkId = scanned.values.get('network-id');
  if (networkId === undefined) {
    throw new UsageError('--network-id is required (the 8-digit id of the Wickr network)');
  }
  if (!isNetworkId(networkId)) {
    throw new UsageError(`--network-id must be 8 digits, got ${JSON.stringify(networkId)}`);
  }

  const region = scanned.values.get('region');
  if (region !== undefined && !isRegion(region)) {
    throw new UsageError(`--region must look like "us-east-1", got ${JSON.stringify(region)}`);
  }

  const endpointUrl = scanned.values.get('endpoint-url');
  if (endpointUrl !== undefined && !isHttpUrl(endpointUrl)) {
    throw new UsageError(`--endpoint-url must be an http or https URL, got ${JSON.stringify(endpointUrl)}`);
  }
  const useFips = scanned.flags.has('fips');
  const useDualStack = scanned.flags.has('dual-stack');
  if (endpointUrl !== undefined && (useFips || useDualStack)) {
    throw new UsageError(`--endpoint-url cannot be combined with ${useFips ? '--fips' : '--dual-stack'}`);
  }

  const conditions: GuardConditions = {
    minimumRemaining: count(scanned, 'min-remaining'),
    maximumPending: count(scanned, 'max-pending'),
    maximumActive: count(scanned, 'max-active'),
    maximumTotal: count(scanned, 'max-total'),
  };
  const warnOnly = scanned.flags.has('warn-only');
  if (warnOnly && !hasConditions(conditions)) {
    throw new UsageError('--warn-only needs a condition (--min-remaining, --max-pending, --max-active or --max-total)');
  }

  return {
    command: 'count',
    networkId,
    region,
    profile: scanned.values.get('profile'),
    conditions,
    warnOnly,
    json: scanned.flags.has('json'),
    endpointUrl,
    useFips,
    useDualStack,
    timeoutSeconds: timeout(scanned.values.get('timeout')),
  };
}

function parseEmulator(scanned: Scanned): Command {
  if (scanned.flags.has('help')) {
    return { command: 'help', topic: 'emulator' };
  }
  if (scanned.flags.has('version')) {
    return { command: 'version' };
  }

  const host = scanned.values.get('host') ?? '127.0.0.1';
  if (host.trim() === '') {
    throw new UsageError('--host must not be empty', 'emulator');
  }

  const portText = scanned.values.get('port');
  let port = DEFAULT_EMULATOR_PORT;
  if (portText !== undefined) {
    port = Number(portText);
    if (!NON_NEGATIVE_INTEGER.test(portText) || port > 65535) {
      throw new UsageError(`--port must be a port number from 0 to 65535, got ${JSON.stringify(portText)}`, 'emulator');
    }
  }

  const networkArgs = scanned.lists.get('network');
  const networks: Record<string, SeedCounts> = networkArgs ? {} : { ...DEFAULT_EMULATOR_NETWORKS };
  for (const text of networkArgs ?? []) {
    const [id, counts] = parseNetwork(text);
    if (networks[id]) {
      throw new UsageError(`--network ${id} is given twice`, 'emulator');
    }
    networks[id] = counts;
  }

  const failText = scanned.values.get('fail');
  const fail = FAIL_KINDS.find((kind) => kind === failText);
  if (failText !== undefined && !fail) {
    throw new UsageError(`--fail must be one of ${FAIL_KINDS.join(', ')}, got ${JSON.stringify(failText)}`, 'emulator');
  }
  const failTimesText = scanned.values.get('fail-times');
  let failTimes: number | undefined;
  if (failTimesText !== undefined) {
    if (!fail) {
      throw new UsageError('--fail-times needs --fail', 'emulator');
    }
    failTimes = Number(failTimesText);
    if (!NON_NEGATIVE_INTEGER.test(failTimesText) || failTimes === 0) {
      throw new UsageError(`--fail-times must be a positive integer, got ${JSON.stringify(failTimesText)}`, 'emulator');
    }
  }

  const accessKeyId = scanned.values.get('access-key-id');
  const secretAccessKey = scanned.values.get('secret-access-key');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new UsageError('--access-key-id and --secret-access-key go together; give both or neither', 'emulator');
  }
  if (accessKeyId === '' || secretAccessKey === '') {
    throw new UsageError('--access-key-id and --secret-access-key must not be empty', 'emulator');
  }

  return { command: 'emulator', host, port, networks, fail, failTimes, accessKeyId, secretAccessKey };
}

/** `12345678` or `12345678:active=40,pending=5,rejected=2,remaining=55`; counts left out are 0. */
function parseNetwork(text: string): [string, SeedCounts] {
  const colon = text.indexOf(':');
  const id = colon === -1 ? text : text.slice(0, colon);
  if (!isNetworkId(id)) {
    throw new UsageError(`--network must start with an 8-digit network id, got ${JSON.stringify(text)}`, 'emulator');
  }

  const counts: SeedCounts = {};
  const list = colon === -1 ? '' : text.slice(colon + 1);
  for (const pair of list === '' ? [] : list.split(',')) {
    const [name, value, extra] = pair.split('=');
    const countName = SEED_COUNT_NAMES.find((candidate) => candidate === name);
    if (!countName || value === undefined || extra !== undefined) {
      throw new UsageError(
        `--network counts are ${SEED_COUNT_NAMES.map((n) => `${n}=N`).join(',')} (total is active + pending), `
        + `got ${JSON.stringify(pair)} in ${JSON.stringify(text)}`, 'emulator');
    }
    if (!NON_NEGATIVE_INTEGER.test(value) || !Number.isSafeInteger(Number(value))) {
      const got = JSON.stringify(value);
      throw new UsageError(`--network ${name} must be a non-negative integer, got ${got}`, 'emulator');
    }
    counts[countName] = Number(value);
  }
  return [id, counts];
}

function count(scanned: Scanned, name: string): number | undefined {
  const text = scanned.values.get(name);
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  if (!NON_NEGATIVE_INTEGER.test(text) || !Number.isSafeInteger(value)) {
    throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

function timeout(text: string | undefined): number {
  if (text === undefined) {
    return DEFAULT_TIMEOUT_SECONDS;
  }
  const value = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || value <= 0 || value > MAX_TIMEOUT_SECONDS) {
    const got = JSON.stringify(text);
    throw new UsageError(`--timeout must be a number of seconds above 0 and up to ${MAX_TIMEOUT_SECONDS}, got ${got}`);
  }
  return value;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
