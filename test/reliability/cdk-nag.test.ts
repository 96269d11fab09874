import { App, CfnResource, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { everyFeatureApp } from '../construct/stacks';

/** Every acknowledgment recorded in the tree, with the path it was recorded on. */
function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) => construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>)
      .map(([id, reason]) => ({ path: construct.node.path, id, reason }))));
}

describe('cdk-nag AwsSolutions', () => {
  test('finds nothing in stacks that use every feature, in two regions, with nothing acknowledged', () => {
    // GIVEN
    const app: App = everyFeatureApp();
    app.synth();

    // WHEN the pack walks the tree (aws-cdk-lib 2.257 does not hand plugins the tree, so it is called directly)
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);

    // THEN
    expect(report.violations.map((violation) => ({
      rule: violation.ruleName,
      resources: violation.violatingResources.map((resource) => resource.constructPath),
      why: violation.description,
    }))).toEqual([]);
    expect(report.success).toBe(true);
    expect(acknowledgments(app)).toEqual([]);
  });

  test('checks the function, its role and policy, the rule, the alarms and the log group', () => {
    // GIVEN
    const app = everyFeatureApp();
    app.synth();

    // WHEN
    const resources = app.node.findAll().filter(CfnResource.isCfnResource);
    const types = new Set(resources.map((resource) => resource.cfnResourceType));

    // THEN every kind of resource the construct makes was in the tree the pack walked
    expect([...types].sort()).toEqual([
      'AWS::CloudWatch::Alarm',
      'AWS::Events::Rule',
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::Lambda::Function',
      'AWS::Lambda::Permission',
      'AWS::Logs::LogGroup',
      'Custom::WickrUsersCount',
    ]);
  });
});
