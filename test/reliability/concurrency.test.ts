import { expectAnsweredOnceInTime, expectFailure, MAX_ATTEMPTS, statusesOf } from './checks';
import {
  ABSORBED, createAllAtOnce, customResourcesOfOneStack, FIRST_NETWORK_ID, INSTANCES, OVERWHELMING, TemplateResource,
} from './concurrency';
import { secretsOf } from './deployments';
import { findLeaks, OutputCapture } from './output';
import { DATA, Harness } from '../handler/harness';

let harness: Harness;
let resources: TemplateResource[];
const output = new OutputCapture();
const answerBodies: string[] = [];

beforeAll(async () => {
  harness = await Harness.start();
  resources = customResourcesOfOneStack(INSTANCES, FIRST_NETWORK_ID);
});

afterAll(async () => {
  await harness.stop();
});

describe('many instances of one stack created at once', () => {
  test('answers all 25 once, SUCCESS within the deadline, through a rate limit that throttles the burst', async () => {
    // GIVEN one stack with 25 instances and a Wickr API that allows a burst of 10, then 50 calls a second
    expect(resources).toHaveLength(INSTANCES);

    // WHEN CloudFormation creates them all at once
    const run = await output.during(() => createAllAtOnce(harness, resources, ABSORBED));
    answerBodies.push(...run.deployments.flatMap((deployment) => deployment.puts.map((put) => put.body)));

    // THEN every one retried its throttles and read the counts
    const statuses = run.deployments.flatMap(statusesOf);
    expect(run.throttled).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 429)).toHaveLength(run.throttled);
    for (const deployment of run.deployments) {
      expectAnsweredOnceInTime(deployment);
      const calls = statusesOf(deployment);
      expect(calls).toEqual([...Array(calls.length - 1).fill(429), 200]);
      expect(deployment.answers[0]).toMatchObject({
        Status: 'SUCCESS',
        Data: { ...DATA, GuardPassed: 'true' },
      });
    }
  });

  test('answers all 25 once within the deadline when the rate limit outlasts the retries', async () => {
    // GIVEN a Wickr API that allows a burst of 5, then 5 calls a second
    // WHEN CloudFormation creates them all at once
    const run = await output.during(() => createAllAtOnce(harness, resources, OVERWHELMING));
    answerBodies.push(...run.deployments.flatMap((deployment) => deployment.puts.map((put) => put.body)));

    // THEN each one succeeded on its first 200 or failed after exactly 5 throttles, never silently
    for (const deployment of run.deployments) {
      expectAnsweredOnceInTime(deployment);
      const calls = statusesOf(deployment);
      if (calls.includes(200)) {
        expect(calls).toEqual([...Array(calls.length - 1).fill(429), 200]);
        expect(deployment.answers[0].Status).toBe('SUCCESS');
      } else {
        expect(calls).toEqual(Array(MAX_ATTEMPTS).fill(429));
        expectFailure(deployment, 'RateLimitError (HTTP 429', `after ${MAX_ATTEMPTS} attempts`);
      }
    }
  });

  test('writes no credential and no presigned URL to stdout, stderr or the answers while deploying at once', () => {
    // GIVEN both runs above captured their output
    expect(output.text).toContain('Answering SUCCESS');

    // WHEN
    const leaks = findLeaks([output.text, ...answerBodies].join('\n'), secretsOf(harness.receiver));

    // THEN
    expect(leaks).toEqual([]);
  });
});
