/**
 * Integration test: deploys `WickrUsersCount` against a real Wickr network.
 *
 * The network id is a stack parameter, so the committed snapshot does not depend on whose network it ran
 * against. CI only checks that the synthesized templates still match the snapshot (`integ:assert`); people with an
 * AWS account and a Wickr network run the deployment:
 *
 *   WICKR_NETWORK_ID=12345678 AWS_REGION=us-east-1 npx projen integ:deploy
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { GuardMode, WickrUsersCount } from '../../src';

const app = new App();
const stack = new Stack(app, 'WickrUsersCountInteg');

const networkId = new CfnParameter(stack, 'NetworkId', {
  type: 'String',
  allowedPattern: '^[0-9]{8}$',
  description: 'The id of an existing Wickr network in this stack\'s region',
});

// Warn-only with a ceiling nobody reaches: the deployment proves the handler read the counts and answered
// CloudFormation with every attribute, whatever the network's size.
const seats = new WickrUsersCount(stack, 'Seats', {
  networkId: networkId.valueAsString,
  minimumRemaining: 0,
  guardMode: GuardMode.WARN,
  refreshOnEveryDeployment: false,
});

new CfnOutput(stack, 'Total', { value: Token.asString(seats.total) });
new CfnOutput(stack, 'Remaining', { value: Token.asString(seats.remaining) });
new CfnOutput(stack, 'GuardPassed', { value: seats.guardPassed });

const integ = new IntegTest(app, 'WickrUsersCountIntegTest', { testCases: [stack] });

integ.assertions
  .awsApiCall('CloudFormation', 'describeStacks', { StackName: stack.stackName })
  .expect(ExpectedResult.objectLike({
    Stacks: Match.arrayWith([
      Match.objectLike({
        Outputs: Match.arrayWith([
          Match.objectLike({ OutputKey: 'GuardPassed', OutputValue: 'true' }),
        ]),
      }),
    ]),
  }));

app.synth();
