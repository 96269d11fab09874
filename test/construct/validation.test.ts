import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { newStack } from './stacks';
import { GuardMode, WickrUsersCount, WickrUsersCountProps } from '../../src';

function create(props: Partial<WickrUsersCountProps>): WickrUsersCount {
  return new WickrUsersCount(newStack(), 'Seats', { networkId: '12345678', ...props });
}

describe('validation of WickrUsersCountProps', () => {
  test.each([
    ['1234', '"1234"'],
    ['123456789', '"123456789"'],
    ['1234567a', '"1234567a"'],
    [' 12345678', '" 12345678"'],
    ['', '""'],
  ])('fails when `networkId` is %j', (networkId, shown) => {
    expect(() => create({ networkId })).toThrow(new RegExp(`^\`networkId\` must be 8 digits, got ${shown}$`));
  });

  test.each(['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', 'eu_west_1', ''])('fails when `region` is %j', (region) => {
    expect(() => create({ region })).toThrow(
      `\`region\` must be an AWS region name such as "us-east-1" or "us-gov-west-1", got ${JSON.stringify(region)}`,
    );
  });

  test.each(['us-east-1', 'ap-southeast-5', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1', 'eu-isoe-west-1'])(
    'accepts the region %s', (region) => {
      expect(create({ region }).region).toBe(region);
    },
  );

  test.each([
    [Duration.seconds(4), '4 seconds'],
    [Duration.seconds(101), '101 seconds'],
    [Duration.millis(5500), '5.5 seconds'],
  ])('fails when `timeout` is %s', (timeout, shown) => {
    expect(() => create({ timeout })).toThrow(
      '`timeout` must be a whole number of seconds from 5 to 100 ' +
      `(the handler answers within the function's 2-minute timeout), got ${shown}`,
    );
  });

  test.each([Duration.seconds(5), Duration.seconds(100)])('accepts the timeout %s', (timeout) => {
    // GIVEN
    const seats = create({ timeout });

    // THEN
    Template.fromStack(Stack.of(seats)).hasResourceProperties('Custom::WickrUsersCount', {
      TimeoutSeconds: timeout.toSeconds(),
    });
  });

  test.each([
    [Duration.minutes(2), '120 seconds'],
    [Duration.seconds(179), '179 seconds'],
    [Duration.hours(2), '7200 seconds'],
    [Duration.millis(200_500), '200.5 seconds'],
  ])('fails when `serviceTimeout` is %s', (serviceTimeout, shown) => {
    expect(() => create({ serviceTimeout })).toThrow(
      '`serviceTimeout` must be a whole number of seconds from 180 to 3600 ' +
      `(above the function's 2-minute timeout, at most CloudFormation's one hour), got ${shown}`,
    );
  });

  test.each([
    [Duration.minutes(3), '180'],
    [Duration.hours(1), '3600'],
  ])('accepts the service timeout %s', (serviceTimeout, rendered) => {
    // GIVEN
    const seats = create({ serviceTimeout });

    // THEN
    Template.fromStack(Stack.of(seats)).hasResourceProperties('Custom::WickrUsersCount', { ServiceTimeout: rendered });
  });

  describe.each(['minimumRemaining', 'maximumPending', 'maximumActive', 'maximumTotal'] as const)('%s', (name) => {
    test.each([
      [-1, '-1'],
      [1.5, '1.5'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
    ])(`fails when \`${name}\` is %s`, (value, shown) => {
      expect(() => create({ [name]: value })).toThrow(`\`${name}\` must be a non-negative integer, got ${shown}`);
    });
  });

  test('fails when `guardMode` is set without any condition', () => {
    expect(() => create({ guardMode: GuardMode.WARN })).toThrow(
      '`guardMode` (WARN) needs a condition to apply: set `minimumRemaining`, `maximumPending`, `maximumActive` ' +
      'or `maximumTotal`',
    );
  });

  test('fails when `guardMode` is ENFORCE without any condition', () => {
    expect(() => create({ guardMode: GuardMode.ENFORCE })).toThrow(/^`guardMode` \(ENFORCE\) needs a condition/);
  });

  test('fails when `maximumPending` exceeds `maximumTotal`', () => {
    expect(() => create({ maximumPending: 11, maximumTotal: 10 })).toThrow(
      '`maximumPending` (11) must not exceed `maximumTotal` (10): total is active plus pending, ' +
      'so `maximumPending` could never be the condition that fails',
    );
  });

  test('fails when `maximumActive` exceeds `maximumTotal`', () => {
    expect(() => create({ maximumActive: 101, maximumTotal: 100 })).toThrow(
      /^`maximumActive` \(101\) must not exceed `maximumTotal` \(100\)/,
    );
  });

  test('accepts ceilings equal to `maximumTotal`', () => {
    // GIVEN
    const seats = create({ maximumPending: 10, maximumActive: 10, maximumTotal: 10 });

    // THEN
    Template.fromStack(Stack.of(seats)).hasResourceProperties('Custom::WickrUsersCount', {
      MaximumPending: 10,
      MaximumActive: 10,
      MaximumTotal: 10,
    });
  });

  test('leaves tokens to the handler', () => {
    // GIVEN
    const stack = newStack();
    const number = (id: string): number => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;

    // WHEN
    new WickrUsersCount(stack, 'Seats', {
      networkId: new CfnParameter(stack, 'NetworkId').valueAsString,
      region: new CfnParameter(stack, 'Region').valueAsString,
      timeout: Duration.seconds(number('Timeout')),
      serviceTimeout: Duration.seconds(number('ServiceTimeout')),
      minimumRemaining: number('MinimumRemaining'),
      maximumPending: number('MaximumPending'),
      maximumActive: number('MaximumActive'),
      maximumTotal: 1,
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::WickrUsersCount', {
      NetworkId: { Ref: 'NetworkId' },
      Region: { Ref: 'Region' },
      TimeoutSeconds: { Ref: 'Timeout' },
      ServiceTimeout: { Ref: 'ServiceTimeout' },
      MinimumRemaining: { Ref: 'MinimumRemaining' },
      MaximumPending: { Ref: 'MaximumPending' },
      MaximumActive: { Ref: 'MaximumActive' },
      MaximumTotal: 1,
    });
  });
});
