import { UsersCount } from '../../lambda/wickr/counts';
import { evaluateGuard, hasConditions, parseConditionValue, parseGuardConditions } from '../../lambda/wickr/guard';

const NETWORK = { networkId: '12345678', region: 'us-east-1' };
const WHERE = 'Wickr network 12345678 (us-east-1)';
const COUNTS: UsersCount = { pending: 45, active: 30, rejected: 2, remaining: 3, total: 75 };

describe('parseConditionValue', () => {
  test.each([['10', 10], [10, 10], ['0', 0], [' 7 ', 7], ['007', 7]])('reads %j as %d', (value, expected) => {
    // WHEN / THEN
    expect(parseConditionValue('MinimumRemaining', value)).toBe(expected);
  });

  test.each([
    ['-1', '"-1"'],
    [-1, '-1'],
    ['1.5', '"1.5"'],
    [2.5, '2.5'],
    ['', '""'],
    ['ten', '"ten"'],
    [NaN, 'NaN'],
    [true, 'true'],
    ['99999999999999999999', '"99999999999999999999"'],
  ])('fails when the value is %j', (value, shown) => {
    // WHEN / THEN
    expect(() => parseConditionValue('MaximumPending', value)).toThrow(
      `MaximumPending must be a non-negative whole number, got ${shown}.`,
    );
  });
});

describe('parseGuardConditions', () => {
  test('reads the conditions that are set and reports every unusable one by property name', () => {
    // GIVEN
    const properties = { MinimumRemaining: '10', MaximumPending: '-5', MaximumActive: 'many', NetworkId: '12345678' };

    // WHEN
    const parsed = parseGuardConditions(properties);

    // THEN
    expect(parsed).toEqual({
      conditions: { minimumRemaining: 10 },
      problems: [
        'MaximumPending must be a non-negative whole number, got "-5".',
        'MaximumActive must be a non-negative whole number, got "many".',
      ],
    });
  });

  test('reads conditions under the labels a caller chooses', () => {
    // GIVEN command-line style names
    const labels = {
      minimumRemaining: '--minimum-remaining',
      maximumPending: '--maximum-pending',
      maximumActive: '--maximum-active',
      maximumTotal: '--maximum-total',
    };

    // WHEN
    const parsed = parseGuardConditions({ '--maximum-total': '100', '--maximum-active': '1.5' }, labels);

    // THEN
    expect(parsed).toEqual({
      conditions: { maximumTotal: 100 },
      problems: ['--maximum-active must be a non-negative whole number, got "1.5".'],
    });
  });

  test('knows when no condition is set', () => {
    // WHEN / THEN
    expect(hasConditions(parseGuardConditions({}).conditions)).toBe(false);
    expect(hasConditions({ maximumTotal: 0 })).toBe(true);
  });
});

describe('evaluateGuard', () => {
  test('fails below the floor, naming the network and both numbers', () => {
    // WHEN
    const verdict = evaluateGuard(COUNTS, { minimumRemaining: 10 }, NETWORK);

    // THEN
    expect(verdict).toEqual({
      passed: false,
      message: 'Wickr network 12345678 (us-east-1) has 3 users remaining; this stack requires at least 10.',
      failures: ['Wickr network 12345678 (us-east-1) has 3 users remaining; this stack requires at least 10.'],
    });
  });

  test('fails above a ceiling', () => {
    // WHEN
    const verdict = evaluateGuard(COUNTS, { maximumPending: 40 }, NETWORK);

    // THEN
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toBe(`${WHERE} has 45 pending users; this stack allows at most 40.`);
  });

  test('passes exactly at every threshold, and says what was checked', () => {
    // WHEN
    const thresholds = { minimumRemaining: 3, maximumPending: 45, maximumActive: 30, maximumTotal: 75 };
    const verdict = evaluateGuard(COUNTS, thresholds, NETWORK);

    // THEN
    expect(verdict).toEqual({
      passed: true,
      message: `${WHERE} passed the capacity check: 3 users remaining (at least 3 required), 45 pending users `
        + '(at most 45 allowed), 30 active users (at most 30 allowed), 75 users in total (at most 75 allowed).',
      failures: [],
    });
  });

  test('lists every failed condition, in a wording the caller chooses', () => {
    // WHEN
    const verdict = evaluateGuard(
      { pending: 1, active: 1, rejected: 0, remaining: 1, total: 2 },
      { minimumRemaining: 2, maximumActive: 0, maximumTotal: 1 },
      { ...NETWORK, requiredBy: 'this check' },
    );

    // THEN
    expect(verdict.failures).toEqual([
      'Wickr network 12345678 (us-east-1) has 1 user remaining; this check requires at least 2.',
      'Wickr network 12345678 (us-east-1) has 1 active user; this check allows at most 0.',
      'Wickr network 12345678 (us-east-1) has 2 users in total; this check allows at most 1.',
    ]);
    expect(verdict.message).toBe(verdict.failures.join(' '));
  });

  test('passes with no condition set', () => {
    // WHEN / THEN
    expect(evaluateGuard(COUNTS, {}, NETWORK)).toEqual({
      passed: true,
      message: 'Wickr network 12345678 (us-east-1): no capacity condition was set.',
      failures: [],
    });
  });
});
