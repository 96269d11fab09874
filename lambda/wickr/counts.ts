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

/** How much of a rejected body an error message repeats. */
const SHOWN_CHARACTERS = 200;

/** Thrown for a 200 answer whose body is not a users count. */
export class CountsParseError extends Error {
  public readonly name = 'CountsParseError';
}

/**
 * Reads a 200 body. Every count must be present as a non-negative integer; members the service adds later are
 * ignored so a newer API does not break older stacks.
 */
export function parseUsersCount(body: string): UsersCount {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new CountsParseError(`the body is not JSON: ${excerpt(body)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CountsParseError(`the body is not a JSON object: ${excerpt(body)}`);
  }

  const record = parsed as Record<string, unknown>;
  const read = (field: typeof COUNT_FIELDS[number]): number => {
    const value = record[field];
    if (value === undefined) {
      throw new CountsParseError(`the body has no "${field}" count: ${excerpt(body)}`);
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      const got = excerpt(JSON.stringify(value), 60);
      throw new CountsParseError(`"${field}" must be a non-negative integer, got ${got}: ${excerpt(body)}`);
    }
    return value;
  };
  return {
    pending: read('pending'),
    active: read('active'),
    rejected: read('rejected'),
    remaining: read('remaining'),
    total: read('total'),
  };
}

/** Keeps messages short: a service that answers with a web page should not flood the CloudFormation console. */
export function excerpt(text: string, limit = SHOWN_CHARACTERS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const shown = flat.length > limit ? `${flat.slice(0, limit)}... (${text.length} characters)` : flat;
  return shown === '' ? '(empty)' : shown;
}
