/**
 * The construct's `Metric`s and the handler's Embedded Metric Format records must name the same metrics, or
 * alarms watch nothing. The scheduled payload is taken from the synthesized rule, run through the bundle that
 * ships, and the record it writes is checked against the EMF specification and against `metricXxx()`.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { harnessForEachTest, metricRecords, NETWORK_ID } from './harness';
import { WickrUsersCount } from '../../src';

/** The units the EMF specification allows (CloudWatch's StandardUnit). */
const EMF_UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits',
  'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second',
  'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second',
  'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

/** Every rule of the EMF specification a record must follow; an empty list means the record is valid. */
function emfViolations(record: Record<string, any>): string[] {
  const problems: string[] = [];
  const aws = record._aws;
  if (typeof aws !== 'object' || aws === null) return ['_aws must be an object'];
  if (!Number.isInteger(aws.Timestamp) || aws.Timestamp < 0) problems.push('_aws.Timestamp must be epoch milliseconds');
  if (!Array.isArray(aws.CloudWatchMetrics)) return [...problems, '_aws.CloudWatchMetrics must be an array'];
  for (const directive of aws.CloudWatchMetrics) {
    if (typeof directive.Namespace !== 'string' || !/^[\w./#:\- ]{1,255}$/.test(directive.Namespace)) {
      problems.push(`Namespace ${JSON.stringify(directive.Namespace)} is not a valid namespace`);
    }
    if (!Array.isArray(directive.Dimensions)) problems.push('Dimensions must be an array of dimension sets');
    for (const set of directive.Dimensions ?? []) {
      if (!Array.isArray(set) || set.length > 30) problems.push('a dimension set must be an array of at most 30 names');
      for (const name of set) {
        if (typeof record[name] !== 'string') problems.push(`dimension ${name} must be a string member of the record`);
      }
    }
    if (!Array.isArray(directive.Metrics) || directive.Metrics.length > 100) {
      problems.push('Metrics must be an array of at most 100 definitions');
    }
    for (const metric of directive.Metrics ?? []) {
      if (typeof metric.Name !== 'string' || metric.Name.length === 0 || metric.Name.length > 1024) {
        problems.push(`metric name ${JSON.stringify(metric.Name)} is invalid`);
      }
      if (metric.Unit !== undefined && !EMF_UNITS.has(metric.Unit)) problems.push(`unit ${metric.Unit} is not allowed`);
      if (typeof record[metric.Name] !== 'number') problems.push(`metric ${metric.Name} must be a number member`);
    }
  }
  return problems;
}

const harness = harnessForEachTest();

describe('metrics published by the handler', () => {
  test('match the construct\'s metrics for the payload the refresh rule sends', async () => {
    // GIVEN a stack that refreshes the counts every hour
    const stack = new Stack(new App(), 'Metrics', { env: { region: 'us-east-1', account: '111122223333' } });
    const seats = new WickrUsersCount(stack, 'Seats', {
      networkId: NETWORK_ID,
      refreshSchedule: events.Schedule.rate(Duration.hours(1)),
    });
    const rules = Template.fromStack(stack).findResources('AWS::Events::Rule');
    const [rule] = Object.values(rules) as Array<{ Properties: { Targets: Array<{ Input: string }> } }>;
    const payload = JSON.parse(rule.Properties.Targets[0].Input);

    // WHEN the function receives what the rule sends
    const invocation = await harness().invokeRaw(payload);

    // THEN it writes one valid EMF record
    expect(invocation.error).toBeUndefined();
    const records = metricRecords(invocation.lines);
    expect(records).toHaveLength(1);
    const record = records[0] as Record<string, any>;
    expect(emfViolations(record)).toEqual([]);

    // AND every metric the construct offers is in it, with the same namespace and dimensions
    const [directive] = record._aws.CloudWatchMetrics;
    const published = (directive.Metrics as Array<{ Name: string }>).map((m) => m.Name);
    const offered: cloudwatch.Metric[] = [
      seats.metricPending(), seats.metricActive(), seats.metricRejected(), seats.metricRemaining(), seats.metricTotal(),
    ];
    expect(offered.map((m) => m.metricName)).toEqual(published);
    for (const metric of offered) {
      expect(metric.namespace).toBe(directive.Namespace);
      const dimensions = stack.resolve(metric.dimensions) as Record<string, string>;
      expect(Object.keys(dimensions).sort()).toEqual([...directive.Dimensions[0]].sort());
      for (const [name, value] of Object.entries(dimensions)) {
        expect(record[name]).toBe(value);
      }
    }
    expect(record.Remaining).toBe(10);
    expect(harness().receiver.requests).toEqual([]);
  });

  test('the specification check fails on a record CloudWatch would drop', () => {
    // GIVEN a record whose dimension is not a member and whose unit is not a CloudWatch unit
    const broken = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{ Namespace: 'Wickr/Users', Dimensions: [['NetworkId']], Metrics: [{ Name: 'Total', Unit: 'Users' }] }],
      },
      Total: 3,
    };

    // THEN
    expect(emfViolations(broken)).toEqual([
      'dimension NetworkId must be a string member of the record',
      'unit Users is not allowed',
    ]);
  });
});
