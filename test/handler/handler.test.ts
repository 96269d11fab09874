import {
  DATA, harnessForEachTest, Invocation, logEntries, metricRecords, NETWORK_ID, PHYSICAL_ID, PROPERTIES, SESSION_TOKEN,
} from './harness';
import { LOCAL_STACK_ID } from '../../emulator/cloudformation';
import { WickrErrorName } from '../../emulator/wickr-emulator';

const WHERE = 'Wickr network 12345678 (us-east-1)';
const FALLBACK_ID = 'WickrUsersCount:invalid:WickrUsers';

const harness = harnessForEachTest();

function success(invocation: Invocation, data: Record<string, unknown> = DATA, physicalResourceId = PHYSICAL_ID) {
  return {
    Status: 'SUCCESS',
    PhysicalResourceId: physicalResourceId,
    StackId: LOCAL_STACK_ID,
    RequestId: invocation.event.RequestId,
    LogicalResourceId: 'WickrUsers',
    Data: data,
  };
}

/** What a reason adds when retrying stopped because the next attempt could not start before the deadline. */
const NO_TIME_LEFT = 'No time was left before the deadline for another attempt.';

/**
 * Checks that the read was retried until `deadline`: more than one call, the last in its final second, none and no
 * answer after it, and that CloudFormation got one answer.
 */
function expectRetriedUntil(deadline: number): void {
  const calls = harness().emulator.requests;
  expect({
    retried: calls.length >= 2,
    lastCallInTheFinalSecond: deadline - calls[calls.length - 1].receivedAt <= 1000,
    callsAfterTheDeadline: calls.filter((call) => call.receivedAt > deadline).length,
    answersAfterTheDeadline: harness().receiver.requests.filter((put) => put.receivedAt > deadline).length,
    answers: harness().receiver.accepted.length,
  }).toEqual({
    retried: true,
    lastCallInTheFinalSecond: true,
    callsAfterTheDeadline: 0,
    answersAfterTheDeadline: 0,
    answers: 1,
  });
}

function deleted(invocation: Invocation, physicalResourceId = PHYSICAL_ID) {
  const { Data: _none, ...answer } = success(invocation, {}, physicalResourceId);
  return answer;
}

function failure(invocation: Invocation, reason: string, physicalResourceId = PHYSICAL_ID) {
  return {
    Status: 'FAILED',
    Reason: reason,
    PhysicalResourceId: physicalResourceId,
    StackId: LOCAL_STACK_ID,
    RequestId: invocation.event.RequestId,
    LogicalResourceId: 'WickrUsers',
  };
}

describe('Create and Update', () => {
  test('answers SUCCESS with the five counts on Create, signed with the function\'s credentials', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(success(invocation));
    expect(harness().emulator.requests).toEqual([expect.objectContaining({
      method: 'GET',
      path: '/networks/12345678/users/count',
      region: 'us-east-1',
      accessKeyId: 'AKIDWICKREMULATOR',
      sessionToken: SESSION_TOKEN,
      status: 200,
    })]);
    expect(invocation.result).toBeUndefined();
  });

  test('answers SUCCESS with a new physical id when an Update moves to another network', async () => {
    // GIVEN
    harness().emulator.setNetwork('87654321', { pending: 1, active: 2, rejected: 3, remaining: 4 });

    // WHEN
    const invocation = await harness().invoke('Update', { ...PROPERTIES, NetworkId: '87654321' }, {
      physicalResourceId: PHYSICAL_ID,
      oldProperties: PROPERTIES,
    });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(success(invocation,
      { Pending: 1, Active: 2, Rejected: 3, Remaining: 4, Total: 3 }, 'WickrUsersCount:us-east-1:87654321'));
  });

  test('accepts numbers where CloudFormation would send strings, and ignores RefreshNonce', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, TimeoutSeconds: 10, RefreshNonce: 'a1b2' });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(success(invocation));
  });

  test('writes one metrics record per successful read', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(metricRecords(invocation.lines)).toHaveLength(1);
    expect(metricRecords(invocation.lines)[0]).toMatchObject({ NetworkId: NETWORK_ID, Region: 'us-east-1', Total: 45 });
  });
});

describe('Delete', () => {
  test('answers SUCCESS with the event\'s physical id without calling the API', async () => {
    // WHEN
    const invocation = await harness().invoke('Delete', PROPERTIES, { physicalResourceId: PHYSICAL_ID });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(deleted(invocation));
    expect(harness().emulator.requests).toEqual([]);
  });

  test('answers SUCCESS for the fallback id a failed Create left behind', async () => {
    // GIVEN a Create that failed on its properties
    const create = await harness().invoke('Create', { ...PROPERTIES, NetworkId: 'not-a-network' });
    const failedId = (harness().onlyResponse() as { PhysicalResourceId: string }).PhysicalResourceId;
    harness().receiver.clear();

    // WHEN CloudFormation rolls back with a Delete for that id
    const properties = { ...PROPERTIES, NetworkId: 'not-a-network' };
    const invocation = await harness().invoke('Delete', properties, { physicalResourceId: failedId });

    // THEN
    expect(create.event.RequestType).toBe('Create');
    expect(failedId).toBe(FALLBACK_ID);
    expect(harness().onlyResponse()).toStrictEqual(deleted(invocation, FALLBACK_ID));
    expect(harness().emulator.requests).toEqual([]);
  });

  test('answers SUCCESS when the properties are unusable', async () => {
    // WHEN
    const invocation = await harness().invoke('Delete', { NetworkId: 42, Region: 'nowhere', TimeoutSeconds: '-3' }, {
      physicalResourceId: PHYSICAL_ID,
    });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(deleted(invocation));
    expect(harness().emulator.requests).toEqual([]);
  });

  test('answers SUCCESS even when the API would fail', async () => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'error', error: 'InternalServerError' });

    // WHEN
    const invocation = await harness().invoke('Delete', PROPERTIES, { physicalResourceId: PHYSICAL_ID });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(deleted(invocation));
    expect(harness().emulator.requests).toEqual([]);
  });
});

describe('the service\'s errors', () => {
  const cases: [WickrErrorName, string, string][] = [
    ['BadRequestError', 'Malformed request.',
      `${WHERE}: GetUsersCount failed with BadRequestError (HTTP 400, "Malformed request."). `
      + 'The service rejected the request as malformed; check the network id and the region.'],
    ['UnauthorizedError', 'Token expired.',
      `${WHERE}: GetUsersCount failed with UnauthorizedError (HTTP 401, "Token expired."). `
      + 'The credentials of the function\'s role were not accepted; check that they are valid and have not expired.'],
    ['ForbiddenError', 'Not allowed.',
      `${WHERE}: GetUsersCount failed with ForbiddenError (HTTP 403, "Not allowed."). `
      + 'The function\'s role needs wickr:GetUsersCount on arn:aws:wickr:us-east-1:111122223333:network/12345678.'],
  ];

  test.each(cases)('fails with a reason to act on for %s', async (error, message, reason) => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'error', error, message });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation, reason));
  });

  const retried: [WickrErrorName, string, (attempts: number) => string][] = [
    ['RateLimitError', 'Rate exceeded.', (attempts) =>
      `${WHERE}: GetUsersCount failed with RateLimitError (HTTP 429, "Rate exceeded."). `
      + `Throttled after ${attempts} attempts (retried ${attempts - 1} times); retry later or allow a longer timeout `
      + `for more retries. ${NO_TIME_LEFT}`],
    ['InternalServerError', 'Boom.', (attempts) =>
      `${WHERE}: GetUsersCount failed with InternalServerError (HTTP 500, "Boom."). `
      + `The service kept failing after ${attempts} attempts (retried ${attempts - 1} times); retry later, and `
      + `contact AWS Support if it persists. ${NO_TIME_LEFT}`],
  ];

  test.each(retried)('fails with a reason to act on for %s, retried until the deadline', async (error, message,
    reason) => {
    // GIVEN every call fails with the error, and TimeoutSeconds is the shortest the construct allows
    harness().emulator.injectFault({ kind: 'error', error, message });
    const deadline = Date.now() + 5000;

    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, TimeoutSeconds: '5' });

    // THEN the reason counts the calls the emulator received, all of them before the deadline
    const calls = harness().emulator.requests;
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation, reason(calls.length)));
    expectRetriedUntil(deadline);
    // The backoff before a sixth call adds up to at most 3.1 s, so 5 s always leaves room for more than five.
    expect(calls.length).toBeGreaterThan(5);
  });

  test('fails with a reason to act on for ResourceNotFoundError', async () => {
    // GIVEN
    harness().emulator.removeNetwork(NETWORK_ID);

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount failed with ResourceNotFoundError (HTTP 404, "Network 12345678 was not found."). `
      + 'There is no network 12345678 in us-east-1; check the network id and that the region is the network\'s own '
      + 'region.'));
    expect(harness().emulator.requests).toHaveLength(1);
  });

  test('fails with every ValidationError reason listed', async () => {
    // GIVEN
    harness().emulator.injectFault({
      kind: 'error',
      error: 'ValidationError',
      message: 'Invalid request.',
      reasons: [{ field: 'networkId', reason: 'must be exactly 8 digits' }, { field: 'region', reason: 'not enabled' }],
    });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount failed with ValidationError (HTTP 422, "Invalid request."). `
      + 'Reasons: networkId: must be exactly 8 digits; region: not enabled. Correct the network id or the region.'));
  });

  test.each(['code', '__type'] as const)('reads the error type from the body\'s %s', async (typeIn) => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'error', error: 'ForbiddenError', message: 'Not allowed.', typeIn });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount failed with ForbiddenError (HTTP 403, "Not allowed."). `
      + 'The function\'s role needs wickr:GetUsersCount on arn:aws:wickr:us-east-1:111122223333:network/12345678.'));
  });

  test('keeps the event\'s physical id when an Update fails', async () => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'error', error: 'ForbiddenError', message: 'Not allowed.' });
    const oldId = 'WickrUsersCount:us-east-1:87654321';

    // WHEN
    const invocation = await harness().invoke('Update', PROPERTIES, {
      physicalResourceId: oldId,
      oldProperties: PROPERTIES,
    });

    // THEN
    expect(harness().onlyResponse()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: oldId });
    expect(invocation.event.RequestType).toBe('Update');
  });

  test('fails naming the signature when the secret key is wrong', async () => {
    // GIVEN
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-emulator-secret';

    try {
      // WHEN
      const invocation = await harness().invoke('Create', PROPERTIES);

      // THEN
      expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
        `${WHERE}: GetUsersCount failed with InvalidSignatureException (HTTP 403, "The request signature we calculated `
        + 'does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the '
        + 'service documentation for details."). The request signature did not match; check the secret access key of '
        + 'the function\'s role and the clock of the machine that signs.'));
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = 'wickr-emulator-secret';
    }
  });

  test('fails naming the access key when it is unknown', async () => {
    // GIVEN
    process.env.AWS_ACCESS_KEY_ID = 'AKIDSOMEONEELSE';

    try {
      // WHEN
      const invocation = await harness().invoke('Create', PROPERTIES);

      // THEN
      expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
        `${WHERE}: GetUsersCount failed with UnrecognizedClientException (HTTP 403, "The security token included in `
        + 'the request is invalid."). The access key of the function\'s role is not recognized; check the credentials '
        + 'and, for temporary credentials, the session token.'));
    } finally {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDWICKREMULATOR';
    }
  });

  test('fails without calling when FIPS is asked for together with an endpoint override', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, UseFipsEndpoint: 'true' });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: FIPS and a custom endpoint (AWS_ENDPOINT_URL_WICKR) cannot be combined; unset one of them.`));
    expect(harness().emulator.requests).toEqual([]);
  });
});

describe('retries and deadlines', () => {
  test('retries throttling until it succeeds', async () => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'error', error: 'RateLimitError' }, { times: 2 });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(success(invocation));
    expect(harness().emulator.requests.map((request) => request.status)).toEqual([429, 429, 200]);
  });

  test('retries a reset connection and a bare 503', async () => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'reset' }, { times: 1 });
    harness().emulator.injectFault({ kind: 'status', status: 503, body: '<html>Unavailable</html>' }, { times: 1 });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(success(invocation));
    expect(harness().emulator.requests.map((request) => request.status)).toEqual(['reset', 503, 200]);
  });

  test('waits as long as Retry-After asks', async () => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'error', error: 'RateLimitError', retryAfterSeconds: 1 }, { times: 1 });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(success(invocation));
    const [first, second] = harness().emulator.requests;
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(logEntries(invocation.lines)).toContainEqual(expect.objectContaining({
      level: 'warn',
      message: 'GetUsersCount attempt failed; retrying',
      attempt: 1,
      status: 429,
      errorType: 'RateLimitError',
      retryInMs: 1000,
    }));
  });

  test('fails at once when Retry-After would pass the deadline', async () => {
    // GIVEN
    harness().emulator.injectFault({
      kind: 'error', error: 'RateLimitError', message: 'Slow down.', retryAfterSeconds: 30,
    });

    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, TimeoutSeconds: '5' });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount failed with RateLimitError (HTTP 429, "Slow down."). Throttled after 1 attempt; retry `
      + 'later or allow a longer timeout for more retries. The service asked to wait 30.0 s before retrying, which '
      + 'would pass the deadline.'));
    expect(harness().emulator.requests).toHaveLength(1);
  });

  test('fails before the context\'s deadline when the API keeps answering 503', async () => {
    // GIVEN the function has 4 s left, so the read must be over 1 s before it ends, whatever TimeoutSeconds says
    harness().emulator.injectFault({ kind: 'status', status: 503 });
    const readDeadline = Date.now() + 3000;

    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, TimeoutSeconds: '60' }, { remainingMs: 4000 });

    // THEN every 503 was retried until the read's deadline, and the reason counts them
    const attempts = harness().emulator.requests.length;
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount failed with HTTP 503. The service was unavailable after ${attempts} attempts `
      + `(retried ${attempts - 1} times); retry later. ${NO_TIME_LEFT}`));
    expectRetriedUntil(readDeadline);
    expect(harness().receiver.requests[0].receivedAt).toBeLessThan(invocation.contextEndsAt);
  });

  test('fails within TimeoutSeconds when the API hangs', async () => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'hang' });

    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, TimeoutSeconds: '2' });

    // THEN one hung attempt did not use the whole budget
    const host = harness().apiHost;
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount got no answer from ${host} in 2 attempts (each allowed at most 1.0 s, 2.0 s in all). `
      + `Check that ${host} is reachable from where this runs (from a VPC, through a NAT gateway) or allow a longer `
      + 'timeout.'));
    expect(harness().emulator.requests.map((request) => request.status)).toEqual(['hang', 'hang']);
  });

  test('fails before the context\'s deadline when the API hangs and the function has little time left', async () => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'hang' });

    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, TimeoutSeconds: '60' }, { remainingMs: 4000 });

    // THEN
    const host = harness().apiHost;
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount got no answer from ${host} in 3 attempts (each allowed at most 1.0 s, 3.0 s in all). `
      + `Check that ${host} is reachable from where this runs (from a VPC, through a NAT gateway) or allow a longer `
      + 'timeout.'));
    expect(harness().receiver.requests[0].receivedAt).toBeLessThan(invocation.contextEndsAt);
  });
});

describe('bodies that are not a users count', () => {
  test.each([
    ['a missing count', '{"pending":5,"active":40,"rejected":2,"total":45}',
      'the body has no "remaining" count: {"pending":5,"active":40,"rejected":2,"total":45}'],
    ['a count of the wrong type', '{"pending":5,"active":"40","rejected":2,"remaining":10,"total":45}',
      '"active" must be a non-negative integer, got "40": '
      + '{"pending":5,"active":"40","rejected":2,"remaining":10,"total":45}'],
    ['a negative count', '{"pending":5,"active":40,"rejected":-2,"remaining":10,"total":45}',
      '"rejected" must be a non-negative integer, got -2: '
      + '{"pending":5,"active":40,"rejected":-2,"remaining":10,"total":45}'],
    ['a JSON array', '[5,40,2,10,45]', 'the body is not a JSON object: [5,40,2,10,45]'],
  ])('fails on %s', async (_case, body, detail) => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'body', body });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount answered HTTP 200, but ${detail}`));
    expect(harness().emulator.requests).toHaveLength(1);
  });

  test('fails on a body that is not JSON', async () => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'malformed' });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount answered HTTP 200, but the body is not JSON: <html>oops`));
  });

  test('fails on a body over the size cap, naming its size', async () => {
    // GIVEN
    const body = JSON.stringify({ pending: 1, padding: 'x'.repeat(70_000) });
    harness().emulator.injectFault({ kind: 'body', body });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      `${WHERE}: GetUsersCount answered HTTP 200 with a body of ${body.length} bytes, over the 65536-byte limit for `
      + 'a users count.'));
    expect(body.length).toBe(70_026);
  });
});

describe('properties', () => {
  test('fails naming a network id that a token resolved to', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, NetworkId: '1234567' });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      'Custom::WickrUsersCount properties are invalid: NetworkId must be 8 digits, got "1234567".', FALLBACK_ID));
    expect(harness().emulator.requests).toEqual([]);
  });

  test('fails listing every unusable property with its value and what is allowed', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', {
      NetworkId: 'abc',
      Region: 'Virginia',
      UseDualStackEndpoint: 'yes',
      TimeoutSeconds: '0',
      MinimumRemaining: '-1',
      MaximumTotal: '2.5',
      GuardMode: 'STRICT',
    });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation, 'Custom::WickrUsersCount properties are invalid: '
      + 'NetworkId must be 8 digits, got "abc". Region must be a region name like "us-east-1", got "Virginia". '
      + 'UseDualStackEndpoint must be "true" or "false", got "yes". '
      + 'TimeoutSeconds must be a whole number of seconds from 1 to 900, got "0". '
      + 'MinimumRemaining must be a non-negative whole number, got "-1". '
      + 'MaximumTotal must be a non-negative whole number, got "2.5". GuardMode must be ENFORCE or WARN, got "STRICT".',
    FALLBACK_ID));
  });

  test('fails naming the missing required properties', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', {});

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation, 'Custom::WickrUsersCount properties are invalid: '
      + 'NetworkId is required (8 digits). Region is required (the network\'s region, e.g. "us-east-1"). '
      + 'TimeoutSeconds is required (a whole number of seconds from 1 to 900).', FALLBACK_ID));
  });

  test('keeps the event\'s physical id when an Update has unusable properties', async () => {
    // WHEN
    const invocation = await harness().invoke('Update', { ...PROPERTIES, Region: 'mars-1' }, {
      physicalResourceId: PHYSICAL_ID, oldProperties: PROPERTIES,
    });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(invocation,
      'Custom::WickrUsersCount properties are invalid: Region must be a region name like "us-east-1", got "mars-1".'));
  });
});

describe('answering CloudFormation', () => {
  test('retries a ResponseURL that fails once and answers once', async () => {
    // GIVEN
    harness().receiver.failNext(1, 503);

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    const [first, second] = harness().receiver.requests;
    expect(harness().receiver.requests.map((request) => request.answeredWith)).toEqual([503, 200]);
    expect(second.body).toBe(first.body);
    expect(harness().onlyResponse()).toStrictEqual(success(invocation));
    expect(harness().emulator.requests).toHaveLength(1);
  });

  test('retries a ResponseURL whose connection resets', async () => {
    // GIVEN
    harness().receiver.failNext(1, 'reset');

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().receiver.requests.map((request) => request.answeredWith)).toEqual(['reset', 200]);
    expect(harness().onlyResponse()).toStrictEqual(success(invocation));
  });

  test('PUTs with the empty content type presigned S3 URLs expect', async () => {
    // WHEN
    await harness().invoke('Create', PROPERTIES);

    // THEN
    expect(harness().receiver.requests[0].headers['content-type']).toBe('');
    expect(harness().receiver.requests[0].path).toMatch(/^\/cloudformation-response\//);
  });

  test('logs and returns when the event has no ResponseURL', async () => {
    // GIVEN
    const base = await harness().invoke('Delete', PROPERTIES, { physicalResourceId: PHYSICAL_ID });
    const { ResponseURL: _dropped, ...event } = base.event;
    harness().receiver.clear();

    // WHEN
    const invocation = await harness().invokeRaw(event);

    // THEN
    expect(invocation.result).toBeUndefined();
    expect(harness().receiver.requests).toEqual([]);
    expect(logEntries(invocation.lines)).toEqual([{
      level: 'error',
      message: 'The event has no ResponseURL, so CloudFormation cannot be answered; ignoring it',
      requestType: 'Delete',
      logicalResourceId: 'WickrUsers',
    }]);
  });

  test('fails an event with an unknown RequestType', async () => {
    // GIVEN
    const base = await harness().invoke('Delete', PROPERTIES, { physicalResourceId: PHYSICAL_ID });
    harness().receiver.clear();
    const event = { ...base.event, RequestType: 'Replace', ResponseURL: harness().receiver.responseUrl() };

    // WHEN
    await harness().invokeRaw(event);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(
      failure(base, 'RequestType must be Create, Update or Delete, got "Replace".', PHYSICAL_ID),
    );
  });

  test('fails a Create whose ResourceProperties are missing', async () => {
    // GIVEN
    const base = await harness().invoke('Delete', PROPERTIES, { physicalResourceId: PHYSICAL_ID });
    harness().receiver.clear();
    const { ResourceProperties: _dropped, PhysicalResourceId: _id, ...event } = {
      ...base.event, RequestType: 'Create', ResponseURL: harness().receiver.responseUrl(),
    };

    // WHEN
    await harness().invokeRaw(event);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(failure(base,
      'Custom::WickrUsersCount properties are invalid: expected an object of properties, got undefined.', FALLBACK_ID));
  });

  test('logs structured lines and never a credential or the ResponseURL\'s signature', async () => {
    // GIVEN one failing and one successful read
    harness().emulator.injectFault({ kind: 'error', error: 'RateLimitError' }, { times: 1 });

    // WHEN
    const invocation = await harness().invoke('Create', PROPERTIES);

    // THEN
    const output = invocation.lines.join('\n');
    expect(output).not.toContain('wickr-emulator-secret');
    expect(output).not.toContain(SESSION_TOKEN);
    expect(output).not.toContain(harness().receiver.signature);
    expect(output).not.toContain('X-Amz-');
    expect(output).not.toContain('ResponseURL');
    const entries = logEntries(invocation.lines);
    expect(entries).toContainEqual({
      level: 'info',
      message: 'GetUsersCount answered',
      requestType: 'Create',
      logicalResourceId: 'WickrUsers',
      networkId: NETWORK_ID,
      region: 'us-east-1',
      attempt: 2,
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(entries).toContainEqual(expect.objectContaining({
      level: 'info',
      message: 'Answered CloudFormation',
      url: `${harness().receiver.url}${harness().receiver.requests[0].path}`,
      status: 200,
    }));
    expect(entries.every((entry) => typeof entry.level === 'string' && typeof entry.message === 'string')).toBe(true);
  });
});
