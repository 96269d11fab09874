import { Match, Template } from 'aws-cdk-lib/assertions';
import { logicalIdOf, networkArn, newStack, policyResources } from './stacks';
import { WickrUsersCount } from '../../src';

describe('the provider shared by every WickrUsersCount in a stack', () => {
  test('three instances across two regions share one function and one policy with exactly their networks', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'East', { networkId: '12345678', region: 'us-east-1' });
    new WickrUsersCount(stack, 'EastToo', { networkId: '23456789', region: 'us-east-1' });
    new WickrUsersCount(stack, 'Sydney', { networkId: '34567890', region: 'ap-southeast-2' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [template.getResourceId('AWS::Logs::LogGroup'), 'Arn'] },
          },
          {
            Effect: 'Allow',
            Action: 'wickr:GetUsersCount',
            Resource: [
              networkArn('us-east-1', '12345678'),
              networkArn('us-east-1', '23456789'),
              networkArn('ap-southeast-2', '34567890'),
            ],
          },
        ],
      },
      Roles: [{ Ref: template.getResourceId('AWS::IAM::Role') }],
    });
  });

  test('a network read by two instances appears once in the policy', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'First', { networkId: '12345678', region: 'us-east-1' });
    new WickrUsersCount(stack, 'Second', { networkId: '12345678', region: 'us-east-1', maximumTotal: 10 });
    new WickrUsersCount(stack, 'OtherRegion', { networkId: '12345678', region: 'eu-west-1' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'wickr:GetUsersCount',
            Resource: [networkArn('us-east-1', '12345678'), networkArn('eu-west-1', '12345678')],
          },
        ]),
      },
    });
  });

  test('without a region the network ARN uses the stack region', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'wickr:GetUsersCount',
            Resource: networkArn({ Ref: 'AWS::Region' }, '12345678'),
          },
        ]),
      },
    });
  });

  test('the role has no managed policies and the template grants nothing on "*"', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'East', { networkId: '12345678', region: 'us-east-1' });
    new WickrUsersCount(stack, 'West', { networkId: '87654321', region: 'us-west-2' });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    const resources = policyResources(template.toJSON());
    expect(resources).toHaveLength(3);
    expect(resources).not.toContain('*');
  });

  test('the function runs Node.js 24 on arm64 with 128 MB, a 2-minute timeout and JSON logs', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 128,
      Timeout: 120,
      Handler: 'index.handler',
      Role: { 'Fn::GetAtt': [template.getResourceId('AWS::IAM::Role'), 'Arn'] },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: template.getResourceId('AWS::Logs::LogGroup') } },
      ReservedConcurrentExecutions: Match.absent(),
    });
  });

  test('the log group keeps logs for a month and is deleted with the stack', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WickrUsersCount(stack, 'Seats', { networkId: '12345678' });

    // THEN
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  test('every custom resource depends on the policy', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const first = new WickrUsersCount(stack, 'First', { networkId: '12345678' });
    const second = new WickrUsersCount(stack, 'Second', { networkId: '87654321', region: 'eu-west-1' });

    // THEN
    const template = Template.fromStack(stack);
    const policy = template.getResourceId('AWS::IAM::Policy');
    const customResources = template.findResources('Custom::WickrUsersCount');
    expect(Object.keys(customResources).sort()).toEqual([logicalIdOf(stack, first), logicalIdOf(stack, second)].sort());
    for (const resource of Object.values(customResources)) {
      expect(resource.DependsOn).toEqual([policy]);
    }
  });

  test('each stack gets its own provider', () => {
    // GIVEN
    const first = newStack();
    const second = newStack();

    // WHEN
    new WickrUsersCount(first, 'Seats', { networkId: '12345678' });
    new WickrUsersCount(second, 'Seats', { networkId: '87654321' });

    // THEN
    Template.fromStack(first).resourceCountIs('AWS::Lambda::Function', 1);
    Template.fromStack(second).resourceCountIs('AWS::Lambda::Function', 1);
  });
});
