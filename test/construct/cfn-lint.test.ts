import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { GuardMode, WickrUsersCount } from '../../src';

// cfn-lint exits with 0 when it finds nothing and 8 when it finds only informational matches; errors and
// warnings add 2 and 4.
const CLEAN_EXIT_CODES = [0, 8];

// aws-cdk-lib's Function adds an explicit DependsOn on its role beside the GetAtt that already orders them.
const IGNORED_CHECKS = ['W3005'];

/**
 * A stack that uses every feature: several networks and regions, every option, tokens, alarms and outputs.
 */
function exampleTemplate(): unknown {
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

  return app.synth().getStackByName(stack.stackName).template;
}

describe('cfn-lint', () => {
  test('finds no error or warning in a template that uses every feature', () => {
    // GIVEN
    const dir = mkdtempSync(path.join(tmpdir(), 'wickr-users-count-cfn-lint-'));
    const file = path.join(dir, 'template.json');
    writeFileSync(file, JSON.stringify(exampleTemplate(), null, 2));

    try {
      // WHEN
      const lint = spawnSync('cfn-lint', ['--format', 'parseable', '--ignore-checks', ...IGNORED_CHECKS, '--', file], {
        encoding: 'utf-8',
      });

      // THEN
      if (lint.error) {
        throw new Error(`cfn-lint could not run (install it with "pip install cfn-lint"): ${lint.error.message}`);
      }
      const problems = lint.stdout.split('\n').filter((line) => line !== '' && !/:I\d{4}:/.test(line));
      expect(problems).toEqual([]);
      expect(lint.stderr).toBe('');
      expect(CLEAN_EXIT_CODES).toContain(lint.status);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
