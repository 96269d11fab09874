import {
  CloudFormationResponse, encodeResponse, MAX_RESPONSE_BYTES, parseResponseUrl,
} from '../../lambda/cfn-response';

const IDENTITY = {
  PhysicalResourceId: 'WickrUsersCount:us-east-1:12345678',
  StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/demo/guid',
  RequestId: 'request-1',
  LogicalResourceId: 'Users',
};

describe('encodeResponse', () => {
  test('leaves a response within the limit untouched', () => {
    // GIVEN
    const response: CloudFormationResponse = { Status: 'FAILED', Reason: 'short', ...IDENTITY };

    // WHEN / THEN
    expect(encodeResponse(response)).toBe(JSON.stringify(response));
  });

  test('shortens the Reason first to keep the body within 4096 bytes', () => {
    // GIVEN a Reason of multi-byte characters far over the limit
    const response: CloudFormationResponse = { Status: 'FAILED', Reason: 'ü'.repeat(5000), ...IDENTITY };

    // WHEN
    const body = encodeResponse(response);

    // THEN
    const parsed = JSON.parse(body);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_RESPONSE_BYTES - 6);
    expect(parsed.Reason).toMatch(/^ü+\.\.\. \(truncated\)$/);
    expect(parsed).toEqual({ ...response, Reason: parsed.Reason });
  });

  test('shortens the GuardMessage once the Reason is gone, keeping the counts', () => {
    // GIVEN
    const counts = { Pending: 1, Active: 2, Rejected: 3, Remaining: 4, Total: 3 };
    const data = { ...counts, GuardPassed: 'false', GuardMessage: 'm'.repeat(6000) };
    const response: CloudFormationResponse = { Status: 'SUCCESS', ...IDENTITY, Data: data };

    // WHEN
    const body = encodeResponse(response);

    // THEN
    const parsed = JSON.parse(body);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_RESPONSE_BYTES - 6);
    const kept = parsed.Data.GuardMessage.length - '... (truncated)'.length;
    expect(parsed.Data).toEqual({ ...data, GuardMessage: `${'m'.repeat(kept)}... (truncated)` });
  });

  test('keeps a body that needs escaping within the limit', () => {
    // GIVEN control characters, which JSON escapes to six bytes each
    const response: CloudFormationResponse = { Status: 'FAILED', Reason: '\u0001'.repeat(3000), ...IDENTITY };

    // WHEN
    const body = encodeResponse(response);

    // THEN
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_RESPONSE_BYTES - 6);
  });
});

describe('parseResponseUrl', () => {
  test.each([
    'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn?X-Amz-Signature=abc',
    'http://127.0.0.1:8080/response',
    'http://localhost:8080/response',
  ])('accepts %s', (url) => {
    // WHEN / THEN
    expect(parseResponseUrl(url)?.href).toBe(url);
  });

  test.each([
    ['http://example.com/response'],
    ['ftp://127.0.0.1/response'],
    ['not a url'],
    [42],
    [undefined],
  ])('refuses %j', (url) => {
    // WHEN / THEN
    expect(parseResponseUrl(url)).toBeUndefined();
  });
});
