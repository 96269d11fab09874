import { App, CfnOutput, Duration, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { GuardMode, WickrUsersCount } from '../src';

/**
 * An example of how a team that onboards people onto a Wickr network would use the construct: the stack reads
 * the network's counts on every deployment, refuses to go on when fewer than 25 more users could join, and only
 * then creates what provisioning needs (here a topic and a parameter standing in for the real thing).
 */

export const DEMO_NETWORK_ID = '12345678';
export const DEMO_MINIMUM_REMAINING = 25;
export const DEMO_STACK_NAME = 'WickrOnboarding';

export class WickrOnboardingStack extends Stack {
  public readonly seats: WickrUsersCount;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The network lives in the stack's region, whichever region the stack is deployed to.
    this.seats = new WickrUsersCount(this, 'Seats', {
      networkId: DEMO_NETWORK_ID,
      minimumRemaining: DEMO_MINIMUM_REMAINING,
      guardMode: GuardMode.ENFORCE,
      refreshSchedule: events.Schedule.rate(Duration.hours(6)),
    });
    this.seats.addRemainingAlarm('FewSeatsLeft', { threshold: 50 });
    this.seats.addOutputs();

    // User provisioning: the invitations go out only if the guard let the deployment through.
    const invitations = new sns.Topic(this, 'Invitations', { displayName: 'Wickr onboarding invitations' });
    invitations.node.addDependency(this.seats);

    // What the rest of the onboarding tooling reads: the room left at the last deployment.
    new ssm.StringParameter(this, 'RemainingAtDeploy', {
      parameterName: '/wickr-onboarding/remaining-at-deploy',
      stringValue: Token.asString(this.seats.remaining),
      description: 'How many more users could join the Wickr network when the onboarding stack last deployed',
    });

    new CfnOutput(this, 'GuardMessage', { value: this.seats.guardMessage });
  }
}

/** Builds the app; `outdir` is where `app.synth()` writes the cloud assembly. */
export function createApp(outdir: string): { app: App; stack: WickrOnboardingStack } {
  const app = new App({ outdir });
  const stack = new WickrOnboardingStack(app, DEMO_STACK_NAME, {
    description: 'Onboarding onto a Wickr network, guarded by the network\'s remaining capacity',
  });
  return { app, stack };
}
