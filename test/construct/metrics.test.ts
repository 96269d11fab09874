import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { logicalIdOf, newStack } from './stacks';
import { WickrUsersCount } from '../../src';

function describeMetric(metric: cloudwatch.Metric): object {
  return {
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensions: metric.dimensions,
    statistic: metric.statistic,
    period: metric.period.toSeconds(),
  };
}

describe('metrics', () => {
  test('the namespace and names are public constants', () => {
    expect([
      WickrUsersCount.METRIC_NAMESPACE,
      WickrUsersCount.METRIC_PENDING,
      WickrUsersCount.METRIC_ACTIVE,
      WickrUsersCount.METRIC_REJECTED,
      WickrUsersCount.METRIC_REMAINING,
      WickrUsersCount.METRIC_TOTAL,
    ]).toEqual(['Wickr/Users', 'Pending', 'Active', 'Rejected', 'Remaining', 'Total']);
  });

  test('each count is a metric of the network, the worst value over one hour without a schedule', () => {
    // GIVEN
    const seats = new WickrUsersCount(newStack(), 'Seats', { networkId: '12345678', region: 'us-east-1' });

    // WHEN
    const metrics = [
      seats.metricPending(),
      seats.metricActive(),
      seats.metricRejected(),
      seats.metricRemaining(),
      seats.metricTotal(),
    ];

    // THEN
    expect(metrics.map(describeMetric)).toEqual([
      ['Pending', 'Maximum'],
      ['Active', 'Maximum'],
      ['Rejected', 'Maximum'],
      ['Remaining', 'Minimum'],
      ['Total', 'Maximum'],
    ].map(([metricName, statistic]) => ({
      namespace: 'Wickr/Users',
      metricName,
      dimensions: { NetworkId: '12345678', Region: 'us-east-1' },
      statistic,
      period: 3600,
    })));
  });

  test.each([
    { refreshSchedule: events.Schedule.rate(Duration.hours(6)), seconds: 21_600 },
    { refreshSchedule: events.Schedule.rate(Duration.days(1)), seconds: 86_400 },
    { refreshSchedule: events.Schedule.rate(Duration.minutes(1)), seconds: 60 },
    { refreshSchedule: events.Schedule.cron({ minute: '0', hour: '*/4' }), seconds: 3600 },
    { refreshSchedule: events.Schedule.expression('rate(2 hours)'), seconds: 7200 },
  ])('the period for $refreshSchedule.expressionString is $seconds seconds', ({ refreshSchedule, seconds }) => {
    // GIVEN
    const seats = new WickrUsersCount(newStack(), 'Seats', { networkId: '12345678', refreshSchedule });

    // THEN
    expect(seats.metricTotal().period.toSeconds()).toBe(seconds);
  });

  test('metric() takes any name and the caller\'s options', () => {
    // GIVEN
    const stack = newStack();
    const seats = new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // WHEN
    const metric = seats.metric('Remaining', { statistic: 'Average', period: Duration.minutes(5), label: 'Seats' });

    // THEN
    expect(metric.namespace).toBe('Wickr/Users');
    expect(metric.metricName).toBe('Remaining');
    expect(stack.resolve(metric.dimensions)).toEqual({ NetworkId: '12345678', Region: { Ref: 'AWS::Region' } });
    expect(metric.statistic).toBe('Average');
    expect(metric.period.toSeconds()).toBe(300);
    expect(metric.label).toBe('Seats');
  });
});

describe('refreshSchedule', () => {
  test('adds a rule that invokes the shared function with the refresh payload, and a permission for that rule', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', {
      networkId: '12345678',
      region: 'us-east-1',
      useDualStackEndpoint: true,
      refreshSchedule: events.Schedule.rate(Duration.hours(1)),
    });

    // THEN
    const template = Template.fromStack(stack);
    const fn = template.getResourceId('AWS::Lambda::Function');
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [{
        Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
        Id: 'Target0',
        Input: JSON.stringify({
          WickrUsersCountRefresh: { NetworkId: '12345678', Region: 'us-east-1', UseDualStackEndpoint: 'true' },
        }),
      }],
    });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [template.getResourceId('AWS::Events::Rule'), 'Arn'] },
    });
  });

  test('each instance gets its own rule and permission, and the rules wait for the policy', () => {
    // GIVEN
    const stack = newStack();
    const refreshSchedule = events.Schedule.rate(Duration.hours(1));

    // WHEN
    new WickrUsersCount(stack, 'East', { networkId: '12345678', region: 'us-east-1', refreshSchedule });
    new WickrUsersCount(stack, 'West', { networkId: '87654321', region: 'us-west-2', useFipsEndpoint: true, refreshSchedule });

    // THEN
    const template = Template.fromStack(stack);
    const policy = template.getResourceId('AWS::IAM::Policy');
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules.map((rule) => [rule.Properties.Targets[0].Input, rule.DependsOn])).toEqual([
      ['{"WickrUsersCountRefresh":{"NetworkId":"12345678","Region":"us-east-1"}}', [policy]],
      ['{"WickrUsersCountRefresh":{"NetworkId":"87654321","Region":"us-west-2","UseFipsEndpoint":"true"}}', [policy]],
    ]);
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions.map((permission) => permission.Properties.SourceArn)).toEqual(
      Object.keys(template.findResources('AWS::Events::Rule')).map((rule) => ({ 'Fn::GetAtt': [rule, 'Arn'] })),
    );
  });

  test('without it there is no rule and no permission', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });
});

describe('addRemainingAlarm', () => {
  test('alarms when fewer users remain than the threshold, treating missing counts as breaching', () => {
    // GIVEN
    const stack = newStack();
    const seats = new WickrUsersCount(stack, 'Seats', {
      networkId: '12345678',
      region: 'us-east-1',
      refreshSchedule: events.Schedule.rate(Duration.minutes(30)),
    });

    // WHEN
    const alarm = seats.addRemainingAlarm('FewSeatsLeft', { threshold: 25 });

    // THEN
    expect(alarm.node.path).toBe('Stack/Seats/FewSeatsLeft');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Wickr/Users',
      MetricName: 'Remaining',
      Dimensions: [{ Name: 'NetworkId', Value: '12345678' }, { Name: 'Region', Value: 'us-east-1' }],
      Statistic: 'Minimum',
      Period: 1800,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 25,
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
      AlarmName: Match.absent(),
      AlarmDescription: 'Fewer than 25 users can still be added to Wickr network 12345678 (us-east-1) while it ' +
        'keeps its premium free trial eligibility. Review pending invitations and inactive users. If the alarm ' +
        'reports missing data, the scheduled refresh has stopped: check the logs of the WickrUsersCount function.',
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('takes the caller\'s period, evaluation periods, missing-data treatment, name and description', () => {
    // GIVEN
    const stack = newStack();
    const seats = new WickrUsersCount(stack, 'Seats', {
      networkId: '12345678',
      refreshSchedule: events.Schedule.cron({ minute: '0' }),
    });

    // WHEN
    seats.addRemainingAlarm('FewSeatsLeft', {
      threshold: 5,
      period: Duration.hours(2),
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmName: 'wickr-seats',
      alarmDescription: 'Buy more seats',
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Period: 7200,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
      AlarmName: 'wickr-seats',
      AlarmDescription: 'Buy more seats',
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('warns at synthesis when no refresh schedule keeps the count current', () => {
    // GIVEN
    const stack = newStack();
    const seats = new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // WHEN
    seats.addRemainingAlarm('FewSeatsLeft', { threshold: 5 });

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map((warning) => [warning.id, warning.entry.data])).toEqual([[
      '/Stack/Seats',
      'The alarm "FewSeatsLeft" watches a count that is only read when the stack deploys, so it sees no data ' +
      'between deployments, and treats that as breaching unless `treatMissingData` says otherwise. Set ' +
      '`refreshSchedule` to read the count regularly. [ack: cdk-wickr-users-count:alarmWithoutSchedule]',
    ]]);
  });

  test('warns at synthesis when a cron schedule leaves the period at one hour', () => {
    // GIVEN
    const stack = newStack();
    const seats = new WickrUsersCount(stack, 'Seats', {
      networkId: '12345678',
      refreshSchedule: events.Schedule.cron({ minute: '0', hour: '0' }),
    });

    // WHEN
    seats.addRemainingAlarm('FewSeatsLeft', { threshold: 5 });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { Period: 3600 });
    Annotations.fromStack(stack).hasWarning('/Stack/Seats', Match.stringLikeRegexp(
      '^The alarm "FewSeatsLeft" evaluates 1-hour periods because the interval of a cron refresh schedule cannot ' +
      'be derived\\. Set `period` to the interval between two refreshes\\. ' +
      '\\[ack: cdk-wickr-users-count:alarmPeriodFromSchedule\\]$',
    ));
  });

  test.each([0, -1, 2.5, NaN])('fails when `threshold` is %s', (threshold) => {
    // GIVEN
    const seats = new WickrUsersCount(newStack(), 'Seats', { networkId: '12345678' });

    // THEN
    expect(() => seats.addRemainingAlarm('FewSeatsLeft', { threshold })).toThrow(
      `\`threshold\` must be a positive integer (the alarm goes off when fewer users remain), got ${threshold}`,
    );
  });

  test.each([0, 1.5])('fails when `evaluationPeriods` is %s', (evaluationPeriods) => {
    // GIVEN
    const seats = new WickrUsersCount(newStack(), 'Seats', { networkId: '12345678' });

    // THEN
    expect(() => seats.addRemainingAlarm('FewSeatsLeft', { threshold: 1, evaluationPeriods })).toThrow(
      `\`evaluationPeriods\` must be a positive integer (a number of periods), got ${evaluationPeriods}`,
    );
  });

  test('no alarm unless asked for', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678', refreshSchedule: events.Schedule.rate(Duration.hours(1)) });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });
});

describe('addOutputs', () => {
  test('adds the five counts as outputs under the construct', () => {
    // GIVEN
    const stack = newStack();
    const seats = new WickrUsersCount(stack, 'Seats', { networkId: '12345678', region: 'us-east-1' });

    // WHEN
    const outputs = seats.addOutputs();

    // THEN
    expect(outputs.map((output) => output.node.path)).toEqual(
      ['Pending', 'Active', 'Rejected', 'Remaining', 'Total'].map((name) => `Stack/Seats/${name}`),
    );
    const id = logicalIdOf(stack, seats);
    const template = Template.fromStack(stack).toJSON();
    expect(Object.values(template.Outputs)).toEqual([
      ['Pending', 'Invitations not yet accepted'],
      ['Active', 'Active users'],
      ['Rejected', 'Users who rejected their invitation'],
      ['Remaining', 'Users that can still be added'],
      ['Total', 'Active plus pending users'],
    ].map(([name, what]) => ({
      Description: `${what} in Wickr network 12345678 (us-east-1), read at deployment`,
      Value: { 'Fn::GetAtt': [id, name] },
    })));
  });

  test('exports them under a prefix, with a literal description when the region is a token', () => {
    // GIVEN
    const stack = newStack();
    const seats = new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // WHEN
    seats.addOutputs({ exportNamePrefix: 'Wickr-Prod' });

    // THEN
    const outputs = Object.values(Template.fromStack(stack).toJSON().Outputs) as Array<Record<string, unknown>>;
    expect(outputs.map((output) => [output.Export, output.Description])).toEqual(
      ['Pending', 'Active', 'Rejected', 'Remaining', 'Total'].map((name) => [
        { Name: `Wickr-Prod-${name}` },
        expect.stringMatching(/ in the Wickr network, read at deployment$/),
      ]),
    );
  });

  test('no outputs unless asked for', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // THEN
    expect(Template.fromStack(stack).toJSON().Outputs).toBeUndefined();
  });
});
