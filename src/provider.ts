import * as path from 'path';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

const PROVIDER_ID = 'CdkWickrUsersCountProvider';

/**
 * The function's own timeout. `TimeoutSeconds` is at most 100, which leaves the handler time to answer
 * CloudFormation after its last retry.
 */
export const FUNCTION_TIMEOUT = Duration.minutes(2);

/**
 * The one function per stack behind every `WickrUsersCount`, with a role whose only permissions are in `policy`:
 * writing to its own log group and `wickr:GetUsersCount` on the networks that the stack's instances read.
 */
export class WickrUsersCountProvider extends Construct {
  /**
   * Returns the stack's provider, creating it with the first instance.
   */
  public static of(scope: Construct): WickrUsersCountProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID);
    if (existing instanceof WickrUsersCountProvider) {
      return existing;
    }
    return new WickrUsersCountProvider(stack, PROVIDER_ID);
  }

  public readonly function: lambda.Function;

  /**
   * Every custom resource depends on this policy, so CloudFormation creates it before the first read and deletes it
   * only after the last custom resource is gone.
   */
  public readonly policy: iam.Policy;

  private readonly networkStatement: iam.PolicyStatement;
  private readonly networkArns = new Set<string>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    // DESTROY: a failed read already reaches the CloudFormation events with its reason, and the metrics are
    // extracted from the log lines on arrival, so they outlive the group. A retained group would be left behind,
    // under a generated name, by every stack that is deleted. The role cannot create log groups, so the function
    // cannot bring a deleted group back either.
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads AWS Wickr network user counts for cdk-wickr-users-count',
    });

    this.networkStatement = new iam.PolicyStatement({ actions: ['wickr:GetUsersCount'] });
    this.policy = new iam.Policy(this, 'Policy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        this.networkStatement,
      ],
    });

    this.function = new lambda.Function(this, 'Function', {
      description: 'Reads AWS Wickr network user counts for cdk-wickr-users-count',
      // The newest Node.js that aws-cdk-lib knows: checks such as cdk-nag's AwsSolutions-L1 flag any older one.
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 128,
      timeout: FUNCTION_TIMEOUT,
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', 'handler')),
      handler: 'index.handler',
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
    });
  }

  /**
   * Allows the function to read the counts of one network. Each network appears once in the policy, however many
   * instances read it.
   */
  public allowNetwork(networkId: string, region: string): void {
    const arn = Stack.of(this).formatArn({
      service: 'wickr',
      region,
      resource: 'network',
      resourceName: networkId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    if (this.networkArns.has(arn)) {
      return;
    }
    this.networkArns.add(arn);
    this.networkStatement.addResources(arn);
  }
}
