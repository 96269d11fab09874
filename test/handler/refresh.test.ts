import { harnessForEachTest, logEntries, metricRecords, NETWORK_ID } from './harness';

const REFRESH = { WickrUsersCountRefresh: { NetworkId: NETWORK_ID, Region: 'us-east-1' } };

const harness = harnessForEachTest();

describe('the scheduled refresh', () => {
  test('writes one metrics record, returns the counts and answers nothing to CloudFormation', async () => {
    // GIVEN
    const before = Date.now();

    // WHEN
    const invocation = await harness().invokeRaw(REFRESH);

    // THEN
    expect(invocation.result).toEqual({ pending: 5, active: 40, rejected: 2, remaining: 10, total: 45 });
    const records = metricRecords(invocation.lines);
    expect(records).toHaveLength(1);
    const [record] = records as [{ _aws: { Timestamp: number } }];
    expect(record).toStrictEqual({
      _aws: {
        Timestamp: record._aws.Timestamp,
        CloudWatchMetrics: [{
          Namespace: 'Wickr/Users',
          Dimensions: [['NetworkId', 'Region']],
          Metrics: [
            { Name: 'Pending', Unit: 'Count' },
            { Name: 'Active', Unit: 'Count' },
            { Name: 'Rejected', Unit: 'Count' },
            { Name: 'Remaining', Unit: 'Count' },
            { Name: 'Total', Unit: 'Count' },
          ],
        }],
      },
      NetworkId: NETWORK_ID,
      Region: 'us-east-1',
      Pending: 5,
      Active: 40,
      Rejected: 2,
      Remaining: 10,
      Total: 45,
    });
    expect(record._aws.Timestamp).toBeGreaterThanOrEqual(before);
    expect(record._aws.Timestamp).toBeLessThanOrEqual(Date.now());
    expect(harness().receiver.requests).toEqual([]);
    expect(harness().emulator.requests).toHaveLength(1);
  });

  test('prints the metrics record as a line of its own, without a log prefix', async () => {
    // WHEN
    const invocation = await harness().invokeRaw(REFRESH);

    // THEN
    expect(invocation.lines.filter((line) => line.startsWith('{"_aws":'))).toHaveLength(1);
  });

  test('fails when the API fails, logging the reason and publishing nothing', async () => {
    // GIVEN
    harness().emulator.injectFault({ kind: 'error', error: 'ForbiddenError', message: 'Not allowed.' });
    const reason = 'Wickr network 12345678 (us-east-1): GetUsersCount failed with ForbiddenError (HTTP 403, '
      + '"Not allowed."). The function\'s role needs wickr:GetUsersCount on '
      + 'arn:aws:wickr:us-east-1:111122223333:network/12345678.';

    // WHEN
    const invocation = await harness().invokeRaw(REFRESH);

    // THEN
    expect(invocation.error?.message).toBe(reason);
    expect(metricRecords(invocation.lines)).toEqual([]);
    expect(logEntries(invocation.lines)).toContainEqual({
      level: 'error',
      message: 'Refresh failed',
      requestType: 'Refresh',
      networkId: NETWORK_ID,
      region: 'us-east-1',
      reason,
    });
    expect(harness().receiver.requests).toEqual([]);
  });

  test('fails when the refresh input is unusable, without calling the API', async () => {
    // WHEN
    const invocation = await harness().invokeRaw({ WickrUsersCountRefresh: { NetworkId: '12', Region: 'us-east-1' } });

    // THEN
    expect(invocation.error?.message).toBe('The refresh event is invalid: NetworkId must be 8 digits, got "12".');
    expect(harness().emulator.requests).toEqual([]);
  });
});
