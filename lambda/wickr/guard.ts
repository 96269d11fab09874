import { UsersCount } from './counts';
import { where } from './errors';

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

/** The custom resource property that carries each condition. */
export const GUARD_PROPERTIES: Readonly<Record<GuardConditionName, string>> = {
  minimumRemaining: 'MinimumRemaining',
  maximumPending: 'MaximumPending',
  maximumActive: 'MaximumActive',
  maximumTotal: 'MaximumTotal',
};

export const GUARD_MODES = ['ENFORCE', 'WARN'] as const;
export type GuardMode = typeof GUARD_MODES[number];

interface ConditionRule {
  readonly name: GuardConditionName;
  readonly count: keyof UsersCount;
  readonly kind: 'floor' | 'ceiling';
  /** How a count reads in a sentence, e.g. "3 users remaining". */
  readonly describe: (count: number) => string;
}

const RULES: readonly ConditionRule[] = [
  { name: 'minimumRemaining', count: 'remaining', kind: 'floor', describe: (n) => `${users(n)} remaining` },
  { name: 'maximumPending', count: 'pending', kind: 'ceiling', describe: (n) => users(n, 'pending ') },
  { name: 'maximumActive', count: 'active', kind: 'ceiling', describe: (n) => users(n, 'active ') },
  { name: 'maximumTotal', count: 'total', kind: 'ceiling', describe: (n) => `${users(n)} in total` },
];

/** Thrown for a condition value that is not a non-negative whole number; the message names the property. */
export class GuardConditionError extends Error {
  public readonly name = 'GuardConditionError';
}

/**
 * Reads one condition the way CloudFormation delivers it (`"10"`) or as a number (`10`).
 * @param label how the caller calls the value in its own interface, e.g. `MinimumRemaining` or `--minimum-remaining`
 */
export function parseConditionValue(label: string, value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new GuardConditionError(`${label} must be a non-negative whole number, got ${show(value)}.`);
  }
  return Number(text);
}

/**
 * Reads every condition present in `source` (absent, `undefined` and `null` mean "not set").
 * @param labels the key each condition has in `source`; the custom resource's property names by default
 * @returns the conditions and one message per unusable value
 */
export function parseGuardConditions(
  source: Readonly<Record<string, unknown>>,
  labels: Readonly<Record<GuardConditionName, string>> = GUARD_PROPERTIES,
): { conditions: GuardConditions; problems: string[] } {
  const conditions: { -readonly [K in GuardConditionName]?: number } = {};
  const problems: string[] = [];
  for (const rule of RULES) {
    const value = source[labels[rule.name]];
    if (value === undefined || value === null) {
      continue;
    }
    try {
      conditions[rule.name] = parseConditionValue(labels[rule.name], value);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { conditions, problems };
}

export function hasConditions(conditions: GuardConditions): boolean {
  return RULES.some((rule) => conditions[rule.name] !== undefined);
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
  const requiredBy = subject.requiredBy ?? 'this stack';
  const checked: string[] = [];
  const failures: string[] = [];
  for (const rule of RULES) {
    const threshold = conditions[rule.name];
    if (threshold === undefined) {
      continue;
    }
    const actual = counts[rule.count];
    const passed = rule.kind === 'floor' ? actual >= threshold : actual <= threshold;
    if (passed) {
      const bound = rule.kind === 'floor' ? `at least ${threshold} required` : `at most ${threshold} allowed`;
      checked.push(`${rule.describe(actual)} (${bound})`);
    } else {
      const limit = rule.kind === 'floor' ? `requires at least ${threshold}` : `allows at most ${threshold}`;
      failures.push(`${where(subject)} has ${rule.describe(actual)}; ${requiredBy} ${limit}.`);
    }
  }

  if (failures.length > 0) {
    return { passed: false, message: failures.join(' '), failures };
  }
  const message = checked.length > 0
    ? `${where(subject)} passed the capacity check: ${checked.join(', ')}.`
    : `${where(subject)}: no capacity condition was set.`;
  return { passed: true, message, failures };
}

/** "1 user", "3 users", "3 pending users". */
function users(n: number, kind = ''): string {
  return `${n} ${kind}${n === 1 ? 'user' : 'users'}`;
}

/** Numbers as written (`NaN`, not JSON's `null`), everything else as JSON. */
function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}
