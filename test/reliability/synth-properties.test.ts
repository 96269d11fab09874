import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as fc from 'fast-check';
import { parseProperties } from '../../lambda/properties';
import { GuardMode, WickrUsersCount, WickrUsersCountProps } from '../../src';

/** Fixed seeds: a failure names its seed and path, and the same run replays it. */
const VALID_SEED = 20261203;
const INVALID_SEED = 20261204;
const VALID_RUNS = 100;
const INVALID_RUNS = 100;

const ACCOUNT = '111122223333';
const STACK_REGION = 'eu-west-1';
const CONDITIONS = ['minimumRemaining', 'maximumPending', 'maximumActive', 'maximumTotal'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Props as plain values, so a failing case prints readably; durations are whole seconds. */
interface PropsSpec {
  readonly networkId: string;
  readonly region?: string;
  readonly useFipsEndpoint?: boolean;
  readonly useDualStackEndpoint?: boolean;
  readonly refreshOnEveryDeployment?: boolean;
  readonly timeoutSeconds?: number;
  readonly serviceTimeoutSeconds?: number;
  readonly minimumRemaining?: number;
  readonly maximumPending?: number;
  readonly maximumActive?: number;
  readonly maximumTotal?: number;
  readonly guardMode?: 'ENFORCE' | 'WARN';
  readonly refreshEveryMinutes?: number;
}

function toProps(spec: PropsSpec, overrides: Partial<WickrUsersCountProps> = {}): WickrUsersCountProps {
  return {
    networkId: spec.networkId,
    region: spec.region,
    useFipsEndpoint: spec.useFipsEndpoint,
    useDualStackEndpoint: spec.useDualStackEndpoint,
    refreshOnEveryDeployment: spec.refreshOnEveryDeployment,
    timeout: spec.timeoutSeconds === undefined ? undefined : Duration.seconds(spec.timeoutSeconds),
    serviceTimeout: spec.serviceTimeoutSeconds === undefined ? undefined : Duration.seconds(spec.serviceTimeoutSeconds),
    minimumRemaining: spec.minimumRemaining,
    maximumPending: spec.maximumPending,
    maximumActive: spec.maximumActive,
    maximumTotal: spec.maximumTotal,
    guardMode: spec.guardMode === undefined ? undefined : GuardMode[spec.guardMode],
    refreshSchedule: spec.refreshEveryMinutes === undefined
      ? undefined
      : events.Schedule.rate(Duration.minutes(spec.refreshEveryMinutes)),
    ...overrides,
  };
}

function newStack(app: App = new App()): Stack {
  return new Stack(app, 'Stack', { env: { account: ACCOUNT, region: STACK_REGION } });
}

/** Regions of every partition, and names shaped like regions AWS may launch. */
const regionArb = fc.oneof(
  fc.constantFrom('us-east-1', 'ap-southeast-5', 'ca-central-1', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1',
    'eu-isoe-west-1', 'eusc-de-east-1'),
  fc.stringMatching(/^[a-z]{2,4}(-[a-z]{1,9}){1,2}-[1-9][0-9]?$/),
);

/** Non-negative integers a user count can hold, small and large. */
const countArb = fc.oneof(fc.nat(200), fc.maxSafeNat());

const validSpecArb: fc.Arbitrary<PropsSpec> = fc.record({
  networkId: fc.stringMatching(/^[0-9]{8}$/),
  region: regionArb,
  useFipsEndpoint: fc.boolean(),
  useDualStackEndpoint: fc.boolean(),
  refreshOnEveryDeployment: fc.boolean(),
  timeoutSeconds: fc.integer({ min: 5, max: 100 }),
  serviceTimeoutSeconds: fc.integer({ min: 180, max: 3600 }),
  minimumRemaining: countArb,
  maximumPending: countArb,
  maximumActive: countArb,
  maximumTotal: countArb,
  guardMode: fc.constantFrom('ENFORCE', 'WARN'),
  refreshEveryMinutes: fc.integer({ min: 1, max: 24 * 60 }),
}, { requiredKeys: ['networkId'] }).map((spec) => {
  // Ceilings above maximumTotal are refused by design, and guardMode needs a condition.
  const cap = (ceiling: number | undefined): number | undefined =>
    ceiling === undefined || spec.maximumTotal === undefined ? ceiling : Math.min(ceiling, spec.maximumTotal);
  const capped = { ...spec, maximumPending: cap(spec.maximumPending), maximumActive: cap(spec.maximumActive) };
  const hasCondition = CONDITIONS.some((name) => capped[name] !== undefined);
  return hasCondition ? capped : { ...capped, guardMode: undefined };
});

/** The custom resource's properties as the template should hold them. */
function expectedProperties(spec: PropsSpec): Record<string, unknown> {
  const hasCondition = CONDITIONS.some((name) => spec[name] !== undefined);
  const expected: Record<string, unknown> = {
    ServiceTimeout: String(spec.serviceTimeoutSeconds ?? 300),
    NetworkId: spec.networkId,
    Region: spec.region ?? STACK_REGION,
    UseFipsEndpoint: spec.useFipsEndpoint ? 'true' : undefined,
    UseDualStackEndpoint: spec.useDualStackEndpoint ? 'true' : undefined,
    TimeoutSeconds: spec.timeoutSeconds ?? 60,
    MinimumRemaining: spec.minimumRemaining,
    MaximumPending: spec.maximumPending,
    MaximumActive: spec.maximumActive,
    MaximumTotal: spec.maximumTotal,
    GuardMode: hasCondition ? spec.guardMode ?? 'ENFORCE' : undefined,
  };
  return Object.fromEntries(Object.entries(expected).filter(([, value]) => value !== undefined));
}

interface SynthesizedResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

function synthesize(spec: PropsSpec): Record<string, SynthesizedResource> {
  const app = new App();
  new WickrUsersCount(newStack(app), 'Seats', toProps(spec));
  return app.synth().getStackByName('Stack').template.Resources;
}

/** What CloudFormation hands the function: every property value as a string. */
function asCloudFormationSendsThem(properties: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, String(value)]));
}

describe('arbitrary props at synthesis', () => {
  test('synthesizes every valid combination into the custom resource properties the handler accepts', () => {
    fc.assert(fc.property(validSpecArb, (spec) => {
      // WHEN
      const resources = Object.values(synthesize(spec));

      // THEN the custom resource carries exactly the props, as the contract names them
      const custom = resources.filter((resource) => resource.Type === 'Custom::WickrUsersCount');
      expect(custom).toHaveLength(1);
      const { ServiceToken, RefreshNonce, ...properties } = custom[0].Properties;
      expect(ServiceToken).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^CdkWickrUsersCountProviderFunction/), 'Arn'],
      });
      expect(properties).toEqual(expectedProperties(spec));
      if (spec.refreshOnEveryDeployment === false) {
        expect(RefreshNonce).toBeUndefined();
      } else {
        expect(RefreshNonce).toMatch(UUID);
      }

      // THEN the function may read exactly that network
      const policy = JSON.stringify(resources.filter((resource) => resource.Type === 'AWS::IAM::Policy'));
      expect(policy).toContain(`:wickr:${spec.region ?? STACK_REGION}:${ACCOUNT}:network/${spec.networkId}`);

      // THEN a schedule reads the same network between deployments
      const rules = resources.filter((resource) => resource.Type === 'AWS::Events::Rule');
      expect(rules.map((rule) => rule.Properties.ScheduleExpression)).toEqual(spec.refreshEveryMinutes === undefined
        ? []
        : [`rate(${spec.refreshEveryMinutes} minute${spec.refreshEveryMinutes === 1 ? '' : 's'})`]);

      // THEN the handler reads the properties back unchanged: whatever synthesizes can deploy
      const parsed = parseProperties(asCloudFormationSendsThem(custom[0].Properties), { timeoutRequired: true });
      expect(parsed.problems).toEqual([]);
      expect(parsed.properties).toEqual({
        networkId: spec.networkId,
        region: spec.region ?? STACK_REGION,
        useFips: spec.useFipsEndpoint === true,
        useDualStack: spec.useDualStackEndpoint === true,
        timeoutSeconds: spec.timeoutSeconds ?? 60,
        conditions: Object.fromEntries(CONDITIONS.filter((name) => spec[name] !== undefined)
          .map((name) => [name, spec[name]])),
        guardMode: spec.guardMode ?? 'ENFORCE',
      });
    }), { seed: VALID_SEED, numRuns: VALID_RUNS });
  });

  test('fails on every invalid prop with a message naming the prop and showing the value', () => {
    fc.assert(fc.property(validSpecArb, invalidPropArb, (spec, invalid) => {
      // GIVEN valid props with exactly one mistake
      const props = invalid.apply(spec);

      // WHEN / THEN
      let message: string | undefined;
      try {
        new WickrUsersCount(newStack(), 'Seats', props);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toBeDefined();
      expect(message).toContain(`\`${invalid.prop}\``);
      expect(message).toContain(invalid.shown);
    }), { seed: INVALID_SEED, numRuns: INVALID_RUNS });
  });
});

/** One mistake: which prop the message must name, the value it must show, and how to make it. */
interface InvalidProp {
  readonly prop: string;
  readonly shown: string;
  apply(spec: PropsSpec): WickrUsersCountProps;
}

const NETWORK_ID = /^[0-9]{8}$/;
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d{1,2}$/;

/** Milliseconds that are not a whole number of seconds from `min` to `max`. */
function outsideSeconds(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 0, max: max * 1000 + 5000 }).filter((ms) => ms % 1000 !== 0),
    fc.integer({ min: 0, max: min - 1 }).map((s) => s * 1000),
    fc.integer({ min: max + 1, max: 100 * max }).map((s) => s * 1000),
  );
}

const invalidPropArb: fc.Arbitrary<InvalidProp> = fc.oneof(
  fc.string().filter((value) => !NETWORK_ID.test(value)).map((networkId): InvalidProp => ({
    prop: 'networkId',
    shown: JSON.stringify(networkId),
    apply: (spec) => toProps(spec, { networkId }),
  })),
  fc.string().filter((value) => !REGION.test(value)).map((region): InvalidProp => ({
    prop: 'region',
    shown: JSON.stringify(region),
    apply: (spec) => toProps(spec, { region }),
  })),
  outsideSeconds(5, 100).map((ms): InvalidProp => ({
    prop: 'timeout',
    shown: `got ${ms / 1000} seconds`,
    apply: (spec) => toProps(spec, { timeout: Duration.millis(ms) }),
  })),
  outsideSeconds(180, 3600).map((ms): InvalidProp => ({
    prop: 'serviceTimeout',
    shown: `got ${ms / 1000} seconds`,
    apply: (spec) => toProps(spec, { serviceTimeout: Duration.millis(ms) }),
  })),
  fc.tuple(
    fc.constantFrom(...CONDITIONS),
    fc.oneof(
      fc.integer({ max: -1 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(NaN, Infinity, -Infinity),
      fc.integer({ min: 1, max: 1e6 }).map((n) => Number.MAX_SAFE_INTEGER + n * 2),
    ),
  ).map(([prop, value]): InvalidProp => ({
    prop,
    shown: String(value),
    apply: (spec) => toProps({ ...spec, maximumTotal: undefined }, { [prop]: value }),
  })),
  fc.tuple(fc.constantFrom('maximumPending', 'maximumActive' as const), fc.nat(1000), fc.integer({ min: 1, max: 1000 }))
    .map(([prop, total, excess]): InvalidProp => ({
      prop,
      shown: `(${total + excess}) must not exceed \`maximumTotal\` (${total})`,
      apply: (spec) => toProps({ ...spec, maximumPending: undefined, maximumActive: undefined },
        { maximumTotal: total, [prop]: total + excess }),
    })),
  fc.constantFrom(GuardMode.ENFORCE, GuardMode.WARN).map((guardMode): InvalidProp => ({
    prop: 'guardMode',
    shown: `(${guardMode})`,
    apply: (spec) => toProps({
      ...spec,
      minimumRemaining: undefined,
      maximumPending: undefined,
      maximumActive: undefined,
      maximumTotal: undefined,
    }, { guardMode }),
  })),
);
