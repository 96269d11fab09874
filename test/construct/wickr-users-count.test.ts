import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { logicalIdOf, networkArn, newStack } from './stacks';
import { GuardMode, WickrUsersCount } from '../../src';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the Custom::WickrUsersCount resource', () => {
  test('carries the contract properties with their defaults', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::WickrUsersCount', {
      ServiceToken: { 'Fn::GetAtt': [template.getResourceId('AWS::Lambda::Function'), 'Arn'] },
      ServiceTimeout: '300',
      NetworkId: '12345678',
      Region: { Ref: 'AWS::Region' },
      TimeoutSeconds: 60,
      RefreshNonce: Match.stringLikeRegexp(UUID.source),
    });
    const [properties] = Object.values(template.findResources('Custom::WickrUsersCount')).map((r) => r.Properties);
    expect(Object.keys(properties).sort()).toEqual(
      ['NetworkId', 'RefreshNonce', 'Region', 'ServiceTimeout', 'ServiceToken', 'TimeoutSeconds'],
    );
  });

  test('passes every option as the contract says: numbers for counts and seconds, flags as "true"', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', {
      networkId: '12345678',
      region: 'us-gov-west-1',
      useFipsEndpoint: true,
      useDualStackEndpoint: true,
      timeout: Duration.seconds(30),
      serviceTimeout: Duration.minutes(10),
      minimumRemaining: 5,
      maximumPending: 20,
      maximumActive: 80,
      maximumTotal: 100,
      guardMode: GuardMode.WARN,
      refreshOnEveryDeployment: false,
    });

    // THEN
    const template = Template.fromStack(stack);
    const [properties] = Object.values(template.findResources('Custom::WickrUsersCount')).map((r) => r.Properties);
    expect(properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [template.getResourceId('AWS::Lambda::Function'), 'Arn'] },
      ServiceTimeout: '600',
      NetworkId: '12345678',
      Region: 'us-gov-west-1',
      UseFipsEndpoint: 'true',
      UseDualStackEndpoint: 'true',
      TimeoutSeconds: 30,
      MinimumRemaining: 5,
      MaximumPending: 20,
      MaximumActive: 80,
      MaximumTotal: 100,
      GuardMode: 'WARN',
    });
  });

  test('leaves the endpoint flags out when they are false', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678', useFipsEndpoint: false, useDualStackEndpoint: false });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::WickrUsersCount', {
      UseFipsEndpoint: Match.absent(),
      UseDualStackEndpoint: Match.absent(),
    });
  });

  test('a condition without guardMode enforces it', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678', minimumRemaining: 0 });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::WickrUsersCount', {
      MinimumRemaining: 0,
      GuardMode: 'ENFORCE',
    });
  });

  test('has the resource type Custom::WickrUsersCount and is deleted with the stack', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const seats = new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // THEN
    const resource = Template.fromStack(stack).toJSON().Resources[logicalIdOf(stack, seats)];
    expect(resource.Type).toBe('Custom::WickrUsersCount');
    expect(resource.DeletionPolicy).toBe('Delete');
  });
});

describe('refreshOnEveryDeployment', () => {
  const nonceOf = (refreshOnEveryDeployment?: boolean): unknown => {
    const stack = newStack();
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678', refreshOnEveryDeployment });
    const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::WickrUsersCount'));
    return resource.Properties.RefreshNonce;
  };

  test('gives RefreshNonce a new value on every synthesis', () => {
    // WHEN
    const first = nonceOf();
    const second = nonceOf(true);

    // THEN
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toEqual(second);
  });

  test('leaves RefreshNonce out when it is off', () => {
    // WHEN
    const nonce = nonceOf(false);

    // THEN
    expect(nonce).toBeUndefined();
  });
});

describe('the counts', () => {
  test('are the five attributes of the custom resource', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const seats = new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // THEN
    const id = logicalIdOf(stack, seats);
    expect(stack.resolve(Token.asString(seats.pending))).toEqual({ 'Fn::GetAtt': [id, 'Pending'] });
    expect(stack.resolve(Token.asString(seats.active))).toEqual({ 'Fn::GetAtt': [id, 'Active'] });
    expect(stack.resolve(Token.asString(seats.rejected))).toEqual({ 'Fn::GetAtt': [id, 'Rejected'] });
    expect(stack.resolve(Token.asString(seats.remaining))).toEqual({ 'Fn::GetAtt': [id, 'Remaining'] });
    expect(stack.resolve(Token.asString(seats.total))).toEqual({ 'Fn::GetAtt': [id, 'Total'] });
    expect(Token.isUnresolved(seats.remaining)).toBe(true);
  });

  test('expose the network and its region', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const explicit = new WickrUsersCount(stack, 'Explicit', { networkId: '12345678', region: 'ca-central-1' });
    const implicit = new WickrUsersCount(stack, 'Implicit', { networkId: '87654321' });

    // THEN
    expect(explicit.networkId).toBe('12345678');
    expect(explicit.region).toBe('ca-central-1');
    expect(stack.resolve(implicit.region)).toEqual({ Ref: 'AWS::Region' });
  });

  test('take the region of a stack with an explicit environment', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'ap-southeast-5' } });

    // WHEN
    const seats = new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // THEN
    expect(seats.region).toBe('ap-southeast-5');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'wickr:GetUsersCount',
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':wickr:ap-southeast-5:111122223333:network/12345678']],
            },
          },
        ]),
      },
    });
  });
});

describe('the guard', () => {
  test('exposes GuardPassed and GuardMessage with a condition', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const seats = new WickrUsersCount(stack, 'Seats', { networkId: '12345678', maximumTotal: 500 });

    // THEN
    const id = logicalIdOf(stack, seats);
    expect(stack.resolve(seats.guardPassed)).toEqual({ 'Fn::GetAtt': [id, 'GuardPassed'] });
    expect(stack.resolve(seats.guardMessage)).toEqual({ 'Fn::GetAtt': [id, 'GuardMessage'] });
  });

  test('fails when guardPassed is read without a condition', () => {
    // GIVEN
    const seats = new WickrUsersCount(newStack(), 'Seats', { networkId: '12345678' });

    // THEN
    expect(() => seats.guardPassed).toThrow(/^`guardPassed` is only available with a capacity condition/);
  });

  test('fails when guardMessage is read without a condition', () => {
    // GIVEN
    const seats = new WickrUsersCount(newStack(), 'Seats', { networkId: '12345678' });

    // THEN
    expect(() => seats.guardMessage).toThrow(/^`guardMessage` is only available with a capacity condition/);
  });

  test('in WARN mode notes that it only reports', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678', minimumRemaining: 10, guardMode: GuardMode.WARN });

    // THEN
    const infos = Annotations.fromStack(stack).findInfo('*', Match.anyValue());
    expect(infos.map((info) => [info.id, info.entry.data])).toEqual([[
      '/Stack/Seats',
      'guardMode is WARN: a failed capacity condition does not stop the deployment, it is only reported in ' +
      '`guardPassed` and `guardMessage`',
    ]]);
  });

  test('in ENFORCE mode adds no annotation', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678', minimumRemaining: 10, guardMode: GuardMode.ENFORCE });

    // THEN
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findInfo('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('other constructs wait for it through a dependency on the construct', () => {
    // GIVEN
    const stack = newStack();
    const seats = new WickrUsersCount(stack, 'Seats', { networkId: '12345678', minimumRemaining: 10 });
    const invitations = new sns.Topic(stack, 'Invitations');

    // WHEN
    invitations.node.addDependency(seats);

    // THEN
    Template.fromStack(stack).hasResource('AWS::SNS::Topic', { DependsOn: [logicalIdOf(stack, seats)] });
  });
});

describe('tokens pass through to the handler', () => {
  test('a CfnParameter network ID, threshold and timeout reach the properties and the policy', () => {
    // GIVEN
    const stack = newStack();
    const networkId = new CfnParameter(stack, 'NetworkId', { type: 'String' });
    const minimumRemaining = new CfnParameter(stack, 'MinimumRemaining', { type: 'Number' });
    const timeout = new CfnParameter(stack, 'TimeoutSeconds', { type: 'Number' });
    const region = new CfnParameter(stack, 'NetworkRegion', { type: 'String' });

    // WHEN
    new WickrUsersCount(stack, 'Seats', {
      networkId: networkId.valueAsString,
      region: region.valueAsString,
      minimumRemaining: minimumRemaining.valueAsNumber,
      timeout: Duration.seconds(timeout.valueAsNumber),
    });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::WickrUsersCount', {
      NetworkId: { Ref: 'NetworkId' },
      Region: { Ref: 'NetworkRegion' },
      MinimumRemaining: { Ref: 'MinimumRemaining' },
      TimeoutSeconds: { Ref: 'TimeoutSeconds' },
      GuardMode: 'ENFORCE',
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'wickr:GetUsersCount',
            Resource: networkArn({ Ref: 'NetworkRegion' }, { Ref: 'NetworkId' }),
          },
        ]),
      },
    });
  });
});
