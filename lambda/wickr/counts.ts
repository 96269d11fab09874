/** The five counts GetUsersCount answers with (`shared/wickr-api`: all required integers). */
export interface UsersCount {
  /** Invited, not yet accepted. */
  readonly pending: number;
  readonly active: number;
  /** Rejected their invitation; not part of `total`. */
  readonly rejected: number;
  /** How many more users keep the network eligible for the premium free trial; not a general seat limit. */
  readonly remaining: number;
  /** Active plus pending. */
  readonly total: number;
}

export const COUNT_FIELDS = ['pending', 'active', 'rejected', 'remaining', 'total'] as const;

/** Thrown for a 200 answer whose body is not a users count. */
export class CountsParseError extends Error {
  public readonly name = 'CountsParseError';
}

/**
 * Reads a 200 body. Every count must be present as a non-negative integer; members the service adds later are
 * ignored so a newer API does not break older stacks.
 */
export function parseUsersCount(body: string): UsersCount {
  const fail = (problem: string) => {
    throw new CountsParseError(`${problem}: ${excerpt(body)}`);
  };
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    fail('the body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    fail('the body is not a JSON object');
  }

  for (const field of COUNT_FIELDS) {
    const value = parsed[field];
    if (value === undefined) {
      fail(`the body has no "${field}" count`);
    }
    if (!Number.isSafeInteger(value) || value < 0) {
      fail(`"${field}" must be a non-negative integer, got ${excerpt(JSON.stringify(value), 60)}`);
    }
  }
  const { pending, active, rejected, remaining, total } = parsed;
  return { pending, active, rejected, remaining, total };
}

/**
 * Keeps messages short: a service that answers with a web page should not flood the CloudFormation console.
 * @param limit how many characters to repeat; a rejected body's first 200 by default
 */
export function excerpt(text: string, limit = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const shown = flat.length > limit ? `${flat.slice(0, limit)}... (${text.length} characters)` : flat;
  return shown || '(empty)';
}
