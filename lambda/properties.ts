import {
  GUARD_MODES, GuardConditions, GuardMode, isNetworkId, isRegion, parseGuardConditions,
} from './wickr';

/** What the handler needs from `ResourceProperties` (or a scheduled refresh's input), validated. */
export interface ResourceProperties {
  readonly networkId: string;
  readonly region: string;
  readonly useFips: boolean;
  readonly useDualStack: boolean;
  /** Absent only where the input may omit it (a scheduled refresh). */
  readonly timeoutSeconds?: number;
  readonly conditions: GuardConditions;
  readonly guardMode: GuardMode;
}

/** The handler's own bound: Lambda's longest timeout. The construct narrows it further. */
const MAX_TIMEOUT_SECONDS = 900;

/**
 * Reads the properties CloudFormation hands over as strings. Every unusable value is reported, each naming the
 * property, the value received and what is allowed, so one failed deployment shows every mistake at once.
 */
export function parseProperties(
  raw: unknown, options: { timeoutRequired: boolean },
): { properties?: ResourceProperties; problems: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [`expected an object of properties, got ${show(raw)}.`] };
  }
  const input = raw as Record<string, unknown>;
  const problems: string[] = [];

  const networkId = input.NetworkId;
  if (!isNetworkId(networkId)) {
    problems.push(networkId === undefined
      ? 'NetworkId is required (8 digits).'
      : `NetworkId must be 8 digits, got ${show(networkId)}.`);
  }
  const region = input.Region;
  if (!isRegion(region)) {
    problems.push(region === undefined
      ? 'Region is required (the network\'s region, e.g. "us-east-1").'
      : `Region must be a region name like "us-east-1", got ${show(region)}.`);
  }
  const useFips = readFlag(input, 'UseFipsEndpoint', problems);
  const useDualStack = readFlag(input, 'UseDualStackEndpoint', problems);
  const timeoutSeconds = readTimeout(input.TimeoutSeconds, options.timeoutRequired, problems);

  const guard = parseGuardConditions(input);
  problems.push(...guard.problems);
  const guardMode = input.GuardMode ?? 'ENFORCE';
  if (!(GUARD_MODES as readonly unknown[]).includes(guardMode)) {
    problems.push(`GuardMode must be ENFORCE or WARN, got ${show(guardMode)}.`);
  }
  if (problems.length > 0) {
    return { problems };
  }

  return {
    properties: {
      networkId: networkId as string,
      region: region as string,
      useFips,
      useDualStack,
      timeoutSeconds,
      conditions: guard.conditions,
      guardMode: guardMode as GuardMode,
    },
    problems,
  };
}

function readFlag(input: Record<string, unknown>, name: string, problems: string[]): boolean {
  const value = input[name];
  if (value === undefined || value === 'false' || value === false) {
    return false;
  }
  if (value === 'true' || value === true) {
    return true;
  }
  problems.push(`${name} must be "true" or "false", got ${show(value)}.`);
  return false;
}

function readTimeout(value: unknown, required: boolean, problems: string[]): number | undefined {
  const allowed = `a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`;
  if (value === undefined) {
    if (required) {
      problems.push(`TimeoutSeconds is required (${allowed}).`);
    }
    return undefined;
  }
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    problems.push(`TimeoutSeconds must be ${allowed}, got ${show(value)}.`);
    return undefined;
  }
  return seconds;
}

function show(value: unknown): string {
  const shown = typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
  return shown.length > 100 ? `${shown.slice(0, 100)}...` : shown;
}
