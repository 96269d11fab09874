import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  AwsCustomResource, AwsCustomResourcePolicy, AwsSdkCall, PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { WickrUsersCount } from '../src';

export type Implementation = 'ours' | 'awsCustomResource';

export interface Synthesis {
  readonly templateBytes: number;
  readonly resourceCount: number;
  readonly synthMs: number;
}

const REGION = 'us-east-1';

/** Distinct networks, as a user with several would have them; 8 digits each. */
export function networkIdFor(index: number): string {
  return String(10_000_000 + index);
}

/**
 * Builds one stack with `count` instances in a fresh App and synthesizes it to a temporary directory, which is
 * removed again. The time covers building the construct tree and synthesis, asset staging included.
 */
export function synthesize(implementation: Implementation, count: number): Synthesis {
  const outdir = mkdtempSync(path.join(tmpdir(), 'wickr-bench-'));
  try {
    const started = process.hrtime.bigint();
    const app = new App({ outdir, analyticsReporting: false });
    const stack = new Stack(app, 'Bench', { env: { account: '111111111111', region: REGION } });
    for (let i = 0; i < count; i++) {
      addInstance(implementation, stack, `UsersCount${i}`, networkIdFor(i));
    }
    const template = app.synth().getStackArtifact(stack.artifactId).template as { Resources?: object };
    const synthMs = Number(process.hrtime.bigint() - started) / 1e6;

    return {
      templateBytes: Buffer.byteLength(JSON.stringify(template)),
      resourceCount: Object.keys(template.Resources ?? {}).length,
      synthMs,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function addInstance(implementation: Implementation, scope: Construct, id: string, networkId: string): void {
  if (implementation === 'ours') {
    new WickrUsersCount(scope, id, { networkId, region: REGION });
    return;
  }

  // What a user writes without this library: the same read, with a policy scoped to the one network's ARN.
  const call: AwsSdkCall = {
    service: 'Wickr',
    action: 'GetUsersCount',
    parameters: { networkId },
    region: REGION,
    physicalResourceId: PhysicalResourceId.of(`WickrUsersCount:${REGION}:${networkId}`),
  };
  new AwsCustomResource(scope, id, {
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: AwsCustomResourcePolicy.fromStatements([
      new PolicyStatement({
        actions: ['wickr:GetUsersCount'],
        resources: [networkArn(scope, networkId)],
      }),
    ]),
  });
}

function networkArn(scope: Construct, networkId: string): string {
  return Stack.of(scope).formatArn({ service: 'wickr', region: REGION, resource: 'network', resourceName: networkId });
}
