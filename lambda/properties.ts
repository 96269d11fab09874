import {
  GUARD_MODES, GuardConditions, GuardMode, isNetworkId, isRegion, parseGuardConditions, show, wholeNumber,
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
    return { problems: [`expected an object of properties, got ${shown(raw)}.`] };
  }
  const input = raw as Record<string, unknown>;
  const problems: string[] = [];
  // An unusable property's message: what to give when it is absent, or what it may be and what it was.
  const check = (name: string, valid: boolean, required: string, allowed: string) => {
    if (!valid) {
      const value = input[name];
      problems.push(value === undefined
        ? `${name} is required (${required}).`
        : `${name} must be ${allowed}, got ${shown(value)}.`);
    }
  };

  const flag = (name: string) => {
    const value = input[name];
    check(name, ([undefined, true, false, 'true', 'false'] as unknown[]).includes(value), '', '"true" or "false"');
    return value === true || value === 'true';
  };

  const { NetworkId: networkId, Region: region, TimeoutSeconds: timeout } = input;
  const guardMode = input.GuardMode ?? 'ENFORCE';
  check('NetworkId', isNetworkId(networkId), '8 digits', '8 digits');
  check('Region', isRegion(region), 'the network\'s region, e.g. "us-east-1"', 'a region name like "us-east-1"');
  const useFips = flag('UseFipsEndpoint');
  const useDualStack = flag('UseDualStackEndpoint');
  const timeoutSeconds = wholeNumber(timeout) ?? NaN;
  const seconds = `a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`;
  check('TimeoutSeconds', timeoutSeconds >= 1 && timeoutSeconds <= MAX_TIMEOUT_SECONDS
    || (timeout === undefined && !options.timeoutRequired), seconds, seconds);

  const guard = parseGuardConditions(input);
  problems.push(...guard.problems);
  check('GuardMode', (GUARD_MODES as readonly unknown[]).includes(guardMode), '', 'ENFORCE or WARN');
  if (problems.length > 0) {
    return { problems };
  }

  return {
    properties: {
      networkId: networkId as string,
      region: region as string,
      useFips,
      useDualStack,
      timeoutSeconds: timeout === undefined ? undefined : timeoutSeconds,
      conditions: guard.conditions,
      guardMode: guardMode as GuardMode,
    },
    problems,
  };
}

/** A value as {@link show} writes it, cut short: a property may hold anything a template can put in it. */
function shown(value: unknown): string {
  const text = show(value);
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}
