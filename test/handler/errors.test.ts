import { describeServiceError, networkArn, readErrorType, sanitizeErrorType } from '../../lambda/wickr/errors';

const SUBJECT = {
  networkId: '12345678',
  region: 'us-east-1',
  accountId: '111122223333',
  principal: 'the function\'s role',
};
const WHERE = 'Wickr network 12345678 (us-east-1)';

describe('readErrorType', () => {
  test('reads the x-amzn-errortype header first', () => {
    // GIVEN a body that names another type
    const headers = { 'x-amzn-errortype': 'ForbiddenError:http://internal.amazon.com/coral/com.amazonaws.wickr/' };
    const body = JSON.stringify({ code: 'RateLimitError', __type: 'ValidationError' });

    // WHEN / THEN
    expect(readErrorType(headers, body)).toBe('ForbiddenError');
  });

  test('reads the body code when the header is absent', () => {
    // GIVEN
    const body = JSON.stringify({ code: 'ResourceNotFoundError', __type: 'ValidationError', message: 'nope' });

    // WHEN / THEN
    expect(readErrorType({}, body)).toBe('ResourceNotFoundError');
  });

  test('reads __type with its namespace and suffix cut', () => {
    // GIVEN
    const body = JSON.stringify({
      __type: 'com.amazonaws.wickr#RateLimitError:http://internal.amazon.com/',
      message: 'slow',
    });

    // WHEN / THEN
    expect(readErrorType({}, body)).toBe('RateLimitError');
  });

  test('is undefined when nothing names a type, also for a body that is not JSON', () => {
    // WHEN / THEN
    expect(readErrorType({}, '<html>Bad Gateway</html>')).toBeUndefined();
    expect(readErrorType({}, JSON.stringify({ message: 'no type' }))).toBeUndefined();
  });
});

describe('sanitizeErrorType', () => {
  test.each([
    ['RateLimitError', 'RateLimitError'],
    ['RateLimitError:http://internal.amazon.com/', 'RateLimitError'],
    ['com.amazonaws.wickr#RateLimitError', 'RateLimitError'],
    ['aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/', 'FooError'],
  ])('reads %s as %s', (raw, expected) => {
    // WHEN / THEN
    expect(sanitizeErrorType(raw)).toBe(expected);
  });
});

describe('describeServiceError', () => {
  test('names the permission and the exact network ARN for ForbiddenError', () => {
    // WHEN
    const info = { status: 403, errorType: 'ForbiddenError', serviceMessage: 'Access denied', attempts: 1 };
    const message = describeServiceError(info, SUBJECT);

    // THEN
    expect(message).toBe(`${WHERE}: GetUsersCount failed with ForbiddenError (HTTP 403, "Access denied"). `
      + 'The function\'s role needs wickr:GetUsersCount on arn:aws:wickr:us-east-1:111122223333:network/12345678.');
  });

  test('lists every ValidationError reason as field: reason', () => {
    // GIVEN
    const reasons = [{ field: 'networkId', reason: 'must be 8 digits' }, { field: 'region', reason: 'unknown' }];

    // WHEN
    const info = { status: 422, errorType: 'ValidationError', serviceMessage: 'Invalid', reasons, attempts: 1 };
    const message = describeServiceError(info, SUBJECT);

    // THEN
    expect(message).toBe(`${WHERE}: GetUsersCount failed with ValidationError (HTTP 422, "Invalid"). `
      + 'Reasons: networkId: must be 8 digits; region: unknown. Correct the network id or the region.');
  });

  test('counts attempts and retries for throttling', () => {
    // WHEN
    const message = describeServiceError({ status: 429, errorType: 'RateLimitError', attempts: 3 }, SUBJECT);

    // THEN
    expect(message).toBe(`${WHERE}: GetUsersCount failed with RateLimitError (HTTP 429). `
      + 'Throttled after 3 attempts (retried 2 times); retry later or allow a longer timeout for more retries.');
  });

  test('says why retrying stopped early', () => {
    // WHEN
    const message = describeServiceError({
      status: 503,
      attempts: 1,
      stoppedBecause: 'the service asked to wait 30.0 s before retrying, which would pass the deadline',
    }, SUBJECT);

    // THEN
    expect(message).toBe(`${WHERE}: GetUsersCount failed with HTTP 503. The service was unavailable after 1 attempt; `
      + 'retry later. The service asked to wait 30.0 s before retrying, which would pass the deadline.');
  });

  test('points at the endpoint for an error type the API does not document', () => {
    // WHEN
    const info = { status: 418, errorType: 'TeapotError', serviceMessage: 'short and stout', attempts: 1 };
    const message = describeServiceError(info, SUBJECT);

    // THEN
    expect(message).toBe(`${WHERE}: GetUsersCount failed with TeapotError (HTTP 418, "short and stout"). `
      + 'This is not an answer the Wickr Admin API documents; check that the endpoint serves the Wickr Admin API.');
  });
});

describe('networkArn', () => {
  test('uses the partition of the network\'s region and a placeholder for an unknown account', () => {
    // WHEN / THEN
    expect(networkArn({ networkId: '87654321', region: 'cn-north-1' }))
      .toBe('arn:aws-cn:wickr:cn-north-1:<account>:network/87654321');
  });
});
