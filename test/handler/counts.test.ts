import { CountsParseError, parseUsersCount } from '../../lambda/wickr/counts';

describe('parseUsersCount', () => {
  test('reads the five counts and ignores members the API may add later', () => {
    // GIVEN
    const body = '{"pending":2,"active":40,"rejected":1,"remaining":8,"total":42,"licensed":100}';

    // WHEN / THEN
    expect(parseUsersCount(body)).toEqual({ pending: 2, active: 40, rejected: 1, remaining: 8, total: 42 });
  });

  test('fails when a count is missing, naming it and showing what arrived', () => {
    // WHEN / THEN
    expect(() => parseUsersCount('{"pending":2,"active":40,"rejected":1,"total":42}')).toThrow(new CountsParseError(
      'the body has no "remaining" count: {"pending":2,"active":40,"rejected":1,"total":42}',
    ));
  });

  test.each([
    ['"3"', '"3"'],
    ['-1', '-1'],
    ['1.5', '1.5'],
    ['null', 'null'],
    ['true', 'true'],
  ])('fails when a count is %s', (value, shown) => {
    // GIVEN
    const body = `{"pending":${value},"active":1,"rejected":0,"remaining":5,"total":1}`;

    // WHEN / THEN
    expect(() => parseUsersCount(body)).toThrow(`"pending" must be a non-negative integer, got ${shown}: ${body}`);
  });

  test('fails when the body is not JSON', () => {
    // WHEN / THEN
    expect(() => parseUsersCount('<html>\n  oops\n</html>')).toThrow('the body is not JSON: <html> oops </html>');
  });

  test.each([['[]'], ['42'], ['null']])('fails when the body is %s, not an object', (body) => {
    // WHEN / THEN
    expect(() => parseUsersCount(body)).toThrow(`the body is not a JSON object: ${body}`);
  });

  test('fails with a truncated excerpt when a long body is not JSON', () => {
    // GIVEN
    const body = 'x'.repeat(1000);

    // WHEN / THEN
    expect(() => parseUsersCount(body)).toThrow(`the body is not JSON: ${'x'.repeat(200)}... (1000 characters)`);
  });

  test('fails on an empty body', () => {
    // WHEN / THEN
    expect(() => parseUsersCount('')).toThrow('the body is not JSON: (empty)');
  });
});
