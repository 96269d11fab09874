import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { WickrUsersCount } from '../../src';

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
