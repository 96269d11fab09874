import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCustomResources } from '../../demo/assembly';
import { DemoResult, runDemo } from '../../demo/run';

const HANDLER_BUNDLE = join(__dirname, '..', '..', 'assets', 'handler', 'index.js');

let outdir: string;
let result: DemoResult;
let output = '';

beforeAll(async () => {
  if (!existsSync(HANDLER_BUNDLE)) {
    throw new Error(`${HANDLER_BUNDLE} is missing; run "npx projen bundle" first`);
  }
  outdir = mkdtempSync(join(tmpdir(), 'wickr-demo-'));
  result = await runDemo({ outdir, write: (text) => { output += text; } });
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

test('every step behaves as expected', () => {
  // GIVEN / WHEN the demo ran
  // THEN
  expect(result.summary).toBe('4 steps, 4 as expected');
  expect(result.ok).toBe(true);
  expect(output.endsWith('\n4 steps, 4 as expected\n')).toBe(true);
});

test('the handler read the counts the network held at each step, and Delete called nothing', () => {
  // GIVEN / WHEN the demo ran
  // THEN
  expect(result.steps.map(({ shown: _shown, title: _title, ...step }) => step)).toEqual([
    {
      step: 1,
      requestType: 'Create',
      networkId: '12345678',
      counts: { pending: 5, active: 40, rejected: 2, remaining: 55, total: 45 },
      guard: 'passed',
      status: 'SUCCESS',
      physicalResourceId: 'WickrUsersCount:us-east-1:12345678',
      apiCalls: 1,
      metricsLines: 1,
      problems: [],
    },
    {
      step: 2,
      requestType: 'Update',
      networkId: '12345678',
      counts: { pending: 8, active: 52, rejected: 3, remaining: 40, total: 60 },
      guard: 'passed',
      status: 'SUCCESS',
      physicalResourceId: 'WickrUsersCount:us-east-1:12345678',
      apiCalls: 1,
      metricsLines: 1,
      problems: [],
    },
    {
      step: 3,
      requestType: 'Create',
      networkId: '12345678',
      counts: { pending: 9, active: 61, rejected: 4, remaining: 12, total: 70 },
      guard: 'failed',
      status: 'FAILED',
      physicalResourceId: 'WickrUsersCount:us-east-1:12345678',
      apiCalls: 1,
      metricsLines: 1,
      problems: [],
    },
    {
      step: 4,
      requestType: 'Delete',
      networkId: '12345678',
      counts: undefined,
      guard: '-',
      status: 'SUCCESS',
      physicalResourceId: 'WickrUsersCount:us-east-1:12345678',
      apiCalls: 0,
      metricsLines: 0,
      problems: [],
    },
  ]);
});

test('the failed creation shows the guard\'s reason as CloudFormation would', () => {
  // GIVEN / WHEN the demo ran
  // THEN
  expect(result.steps.map((step) => step.shown.replace(/RequestId: [0-9a-f-]{36}/, 'RequestId: <id>'))).toEqual([
    'CREATE_COMPLETE (GuardMessage: Wickr network 12345678 (us-east-1) passed the capacity check: 55 users remaining '
      + '(at least 25 required).)',
    'UPDATE_COMPLETE (GuardMessage: Wickr network 12345678 (us-east-1) passed the capacity check: 40 users remaining '
      + '(at least 25 required).)',
    'CREATE_FAILED: Received response status [FAILED] from custom resource. Message returned: Wickr network 12345678 '
      + '(us-east-1) has 12 users remaining; this stack requires at least 25. (RequestId: <id>)',
    'DELETE_COMPLETE',
  ]);
});

test('the table lists each step with its counts and verdict', () => {
  // GIVEN / WHEN the demo ran
  // THEN
  expect(output).toContain([
    'Step  Request  Network   Pending  Active  Rejected  Remaining  Total  Guard   Status   API calls  As expected',
    '----  -------  --------  -------  ------  --------  ---------  -----  ------  -------  ---------  -----------',
    '   1  Create   12345678        5      40         2         55     45  passed  SUCCESS          1  yes',
    '   2  Update   12345678        8      52         3         40     60  passed  SUCCESS          1  yes',
    '   3  Create   12345678        9      61         4         12     70  failed  FAILED           1  yes',
    '   4  Delete   12345678        -       -         -          -      -  -       SUCCESS          0  yes',
  ].join('\n'));
});

test('the properties come from the synthesized template, resolved as CloudFormation sends them', () => {
  // GIVEN the cloud assembly the demo synthesized
  // WHEN its custom resources are read for a deployment to us-east-1
  const [resource, ...others] = findCustomResources(outdir, {
    region: 'us-east-1', accountId: '111122223333', stackName: 'WickrOnboarding',
  });

  // THEN there is one, with every scalar a string and the function's asset holding the shipped handler
  expect(others).toEqual([]);
  const { RefreshNonce: nonce, ...properties } = resource.properties;
  expect(nonce).toMatch(/^[0-9a-f-]{36}$/);
  expect(properties).toEqual({
    ServiceToken: `arn:aws:lambda:us-east-1:111122223333:function:WickrOnboarding-${resource.provider.logicalId}`,
    ServiceTimeout: '300',
    NetworkId: '12345678',
    Region: 'us-east-1',
    TimeoutSeconds: '60',
    MinimumRemaining: '25',
    GuardMode: 'ENFORCE',
  });
  expect(readFileSync(resource.provider.handlerFile, 'utf8')).toBe(readFileSync(HANDLER_BUNDLE, 'utf8'));
  expect(resource.provider.handlerExport).toBe('handler');
  expect(resource.provider.timeoutSeconds).toBe(120);
});

test('the handler answered CloudFormation once per step and logged no secret', () => {
  // GIVEN / WHEN the demo ran
  const log = readFileSync(join(outdir, 'handler.log'), 'utf8');

  // THEN
  expect(log.split('\n').filter((line) => line.includes('"Answered CloudFormation"'))).toHaveLength(4);
  expect(log).not.toContain('wickr-emulator-secret');
  expect(log).not.toContain('X-Amz-Signature');
});
