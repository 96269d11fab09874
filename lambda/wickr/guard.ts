import { UsersCount } from './counts';
import { capitalize, where } from './errors';

/**
 * Capacity conditions a deployment (or a command-line check) can require of a network. Floors and ceilings are
 * inclusive: a count exactly at the threshold passes.
 */
export interface GuardConditions {
  /** `remaining` must be at least this. */
  readonly minimumRemaining?: number;
  /** `pending` must be at most this. */
  readonly maximumPending?: number;
  /** `active` must be at most this. */
  readonly maximumActive?: number;
  /** `total` must be at most this. */
  readonly maximumTotal?: number;
}

export type GuardConditionName = keyof GuardConditions;

export const GUARD_MODES = ['ENFORCE', 'WARN'] as const;
export type GuardMode = typeof GUARD_MODES[number];

/** Each condition, the count it bounds, whether it is a floor (else a ceiling), and how the count reads. */
const RULES: readonly (readonly [GuardConditionName, keyof UsersCount, boolean, (count: number) => string])[] = [
  ['minimumRemaining', 'remaining', true, (n) => `${users(n)} remaining`],
  ['maximumPending', 'pending', false, (n) => users(n, 'pending ')],
  ['maximumActive', 'active', false, (n) => users(n, 'active ')],
  ['maximumTotal', 'total', false, (n) => `${users(n)} in total`],
];

/**
 * Reads one condition the way CloudFormation delivers it (`"10"`) or as a number (`10`).
 * @param label how the caller calls the value in its own interface, e.g. `MinimumRemaining` or `--minimum-remaining`
 * @throws for a value that is not a non-negative whole number, naming `label`
 */
export function parseConditionValue(label: string, value: unknown): number {
  const parsed = wholeNumber(value);
  if (parsed === undefined) {
    throw new Error(`${label} must be a non-negative whole number, got ${show(value)}.`);
  }
  return parsed;
}

/** A non-negative whole number JavaScript holds exactly, as a number or as digits (`"10"`, `" 7 "`, `"007"`). */
export function wholeNumber(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

/**
 * Reads every condition present in `source` (absent, `undefined` and `null` mean "not set").
 * @param labels the key each condition has in `source`; the custom resource's property names
 *   (`MinimumRemaining`, ...) by default
 * @returns the conditions and one message per unusable value
 */
export function parseGuardConditions(
  source: Readonly<Record<string, unknown>>,
  labels?: Readonly<Record<GuardConditionName, string>>,
): { conditions: GuardConditions; problems: string[] } {
  const conditions: { -readonly [K in GuardConditionName]?: number } = {};
  const problems: string[] = [];
  for (const [name] of RULES) {
    const label = labels?.[name] ?? capitalize(name);
    if (source[label] != null) {
      try {
        conditions[name] = parseConditionValue(label, source[label]);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  return { conditions, problems };
}

export function hasConditions(conditions: GuardConditions): boolean {
  return RULES.some(([name]) => conditions[name] !== undefined);
}

export interface GuardSubject {
  readonly networkId: string;
  readonly region: string;
  /** Who requires the conditions, as the message names it. @default "this stack" */
  readonly requiredBy?: string;
}

export interface GuardVerdict {
  readonly passed: boolean;
  /** The failed conditions' sentences, or what was checked when all passed. */
  readonly message: string;
  /** One sentence per failed condition. */
  readonly failures: readonly string[];
}

export function evaluateGuard(counts: UsersCount, conditions: GuardConditions, subject: GuardSubject): GuardVerdict {
  const checked: string[] = [];
  const failures: string[] = [];
  for (const [name, count, floor, describe] of RULES) {
    const threshold = conditions[name];
    if (threshold === undefined) {
      continue;
    }
    const actual = counts[count];
    const bound = `${floor ? 'at least' : 'at most'} ${threshold}`;
    if (floor ? actual >= threshold : actual <= threshold) {
      checked.push(`${describe(actual)} (${bound} ${floor ? 'required' : 'allowed'})`);
    } else {
      const requirement = `${subject.requiredBy ?? 'this stack'} ${floor ? 'requires' : 'allows'} ${bound}`;
      failures.push(`${where(subject)} has ${describe(actual)}; ${requirement}.`);
    }
  }

  const passed = !failures.length;
  const message = !passed
    ? failures.join(' ')
    : checked.length
      ? `${where(subject)} passed the capacity check: ${checked.join(', ')}.`
      : `${where(subject)}: no capacity condition was set.`;
  return { passed, message, failures };
}

/** "1 user", "3 users", "3 pending users". */
function users(n: number, kind = ''): string {
  return `${n} ${kind}${n === 1 ? 'user' : 'users'}`;
}

/** Numbers as written (`NaN`, not JSON's `null`), everything else as JSON. */
export function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}
