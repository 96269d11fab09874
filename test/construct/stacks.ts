import { App, CfnParameter, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { GuardMode, WickrUsersCount } from '../../src';

/**
 * An environment-agnostic stack: region, account and partition stay `Ref`s, as in most templates.
 */
export function newStack(): Stack {
  return new Stack(new App(), 'Stack');
}

export function logicalIdOf(stack: Stack, seats: WickrUsersCount): string {
  return stack.getLogicalId(seats.customResource.node.defaultChild as CfnResource);
}

/**
 * The network ARN as CloudFormation builds it in an environment-agnostic stack.
 */
export function networkArn(region: string | object, networkId: string | object): object {
  const regionParts = typeof region === 'string' ? [`:wickr:${region}:`] : [':wickr:', region, ':'];
  const idParts = typeof networkId === 'string' ? [`:network/${networkId}`] : [':network/', networkId];
  return {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...regionParts, { Ref: 'AWS::AccountId' }, ...idParts]],
  };
}

/**
 * Every `Resource` and `NotResource` value of every policy in the template, flattened.
 */
export function policyResources(template: unknown): unknown[] {
  const found: unknown[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Resource' || key === 'NotResource') {
          found.push(...(Array.isArray(value) ? value : [value]));
        } else {
          visit(value);
        }
      }
    }
  };
  visit(template);
  return found;
}

/** aws-cdk-lib's Function adds an explicit DependsOn on its role beside the GetAtt that already orders them. */
export const CFN_LINT_IGNORED_CHECKS = ['W3005'];

/** The stacks of {@link everyFeatureApp}, and the regions each is checked for. */
export const EVERY_FEATURE_STACKS = {
  WickrUsersCountExample: ['us-east-1', 'ap-southeast-2'],
  WickrUsersCountGovCloud: ['us-gov-west-1'],
} as const;

/**
 * Stacks that use every feature: several networks in two regions each, every option, tokens, alarms and outputs.
 * One stack is environment-agnostic; the other is bound to an account in a second partition, so ARNs, FIPS
 * endpoints and the partition's services are checked too.
 */
export function everyFeatureApp(): App {
  const app = new App();
  const stack = new Stack(app, 'WickrUsersCountExample');
  const networkId = new CfnParameter(stack, 'NetworkId', { type: 'String', allowedPattern: '[0-9]{8}' });
  const minimumRemaining = new CfnParameter(stack, 'MinimumRemaining', { type: 'Number', minValue: 0 });

  const everything = new WickrUsersCount(stack, 'Everything', {
    networkId: '12345678',
    region: 'us-east-1',
    useFipsEndpoint: true,
    useDualStackEndpoint: true,
    timeout: Duration.seconds(30),
    serviceTimeout: Duration.minutes(10),
    minimumRemaining: 10,
    maximumPending: 50,
    maximumActive: 400,
    maximumTotal: 450,
    guardMode: GuardMode.WARN,
    refreshSchedule: events.Schedule.rate(Duration.minutes(30)),
  });
  everything.addRemainingAlarm('FewSeatsLeft', { threshold: 25 });
  everything.addRemainingAlarm('NoSeatsLeft', {
    threshold: 1,
    evaluationPeriods: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmName: 'wickr-no-seats-left',
  });
  everything.addOutputs({ exportNamePrefix: 'WickrEverything' });

  const fromParameters = new WickrUsersCount(stack, 'FromParameters', {
    networkId: networkId.valueAsString,
    minimumRemaining: minimumRemaining.valueAsNumber,
    refreshOnEveryDeployment: false,
    refreshSchedule: events.Schedule.cron({ minute: '0', hour: '6' }),
  });
  fromParameters.addRemainingAlarm('FewSeatsLeft', { threshold: 5, period: Duration.days(1) });
  fromParameters.addOutputs();

  new WickrUsersCount(stack, 'Sydney', { networkId: '87654321', region: 'ap-southeast-2', maximumTotal: 100 });

  const govCloud = new Stack(app, 'WickrUsersCountGovCloud', {
    env: { account: '111122223333', region: 'us-gov-west-1' },
  });
  const west = new WickrUsersCount(govCloud, 'West', {
    networkId: '23456789',
    useFipsEndpoint: true,
    minimumRemaining: 5,
    refreshSchedule: events.Schedule.rate(Duration.hours(6)),
  });
  west.addRemainingAlarm('FewSeatsLeft', { threshold: 10 });
  west.addOutputs();
  new WickrUsersCount(govCloud, 'East', { networkId: '34567890', region: 'us-gov-east-1', maximumActive: 250 });

  return app;
}
