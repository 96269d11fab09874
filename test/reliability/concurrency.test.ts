import { expectAnsweredOnceInTime, expectRetriedUntilTheDeadline, NO_TIME_LEFT, statusesOf } from './checks';
import {
  ABSORBED, ConcurrentRun, createAllAtOnce, customResourcesOfOneStack, FIRST_NETWORK_ID, INSTANCES, OVERWHELMING,
  SHORT_TIMEOUT, STRICT, TemplateResource, TokenBucket,
} from './concurrency';
import { Deployment, secretsOf } from './deployments';
import { findLeaks, OutputCapture } from './output';
import { DATA, Harness, REGION } from '../handler/harness';

let harness: Harness;
let resources: TemplateResource[];
let shortTimeoutResources: TemplateResource[];
const output = new OutputCapture();
const answerBodies: string[] = [];

beforeAll(async () => {
  harness = await Harness.start();
  resources = customResourcesOfOneStack(INSTANCES, FIRST_NETWORK_ID);
  shortTimeoutResources = customResourcesOfOneStack(INSTANCES, FIRST_NETWORK_ID, SHORT_TIMEOUT);
});

afterAll(async () => {
  await harness.stop();
});

async function createThrough(bucket: TokenBucket, instances: readonly TemplateResource[]): Promise<ConcurrentRun> {
  const run = await output.during(() => createAllAtOnce(harness, instances, bucket));
  answerBodies.push(...run.deployments.flatMap((deployment) => deployment.puts.map((put) => put.body)));
  return run;
}

/** Checks a deployment that retried its throttles and read the counts on its first 200. */
function expectReadAfterThrottles(deployment: Deployment): void {
  const calls = statusesOf(deployment);
  expect(calls).toEqual([...Array(calls.length - 1).fill(429), 200]);
  expect(deployment.answers[0]).toMatchObject({
    Status: 'SUCCESS',
    Data: { ...DATA, GuardPassed: 'true' },
  });
}

describe('many instances of one stack created at once', () => {
  test('answers all 25 once, SUCCESS within the deadline, through a rate limit that throttles the burst', async () => {
    // GIVEN one stack with 25 instances and a Wickr API that allows a burst of 10, then 50 calls a second
    expect(resources).toHaveLength(INSTANCES);

    // WHEN CloudFormation creates them all at once
    const run = await createThrough(ABSORBED, resources);

    // THEN every one retried its throttles and read the counts
    const statuses = run.deployments.flatMap(statusesOf);
    expect(run.throttled).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 429)).toHaveLength(run.throttled);
    for (const deployment of run.deployments) {
      expectAnsweredOnceInTime(deployment);
      expectReadAfterThrottles(deployment);
    }
  });

  test('answers all 25 once, SUCCESS within the deadline, through a rate limit of 5 calls a second', async () => {
    // GIVEN a Wickr API that allows a burst of 5, then 5 calls a second, and the default 60-second timeout
    // WHEN CloudFormation creates them all at once
    const run = await createThrough(STRICT, resources);

    // THEN the 20 that missed the burst kept retrying until the bucket let them through
    const statuses = run.deployments.flatMap(statusesOf);
    expect(run.timeoutSeconds).toBe(60);
    expect(run.throttled).toBeGreaterThanOrEqual(INSTANCES - STRICT.capacity);
    expect(statuses.filter((status) => status === 429)).toHaveLength(run.throttled);
    for (const deployment of run.deployments) {
      expectAnsweredOnceInTime(deployment);
      expectReadAfterThrottles(deployment);
    }
  });

  test('fails when a rate limit cannot serve all 25 within a 5-second timeout, only the unserved', async () => {
    // GIVEN a Wickr API that allows a burst of 5, then 1 call a second, and instances with a 5-second timeout
    // WHEN CloudFormation creates them all at once
    const run = await createThrough(OVERWHELMING, shortTimeoutResources);

    // THEN the bucket served the burst and at most one call a second after it; every other instance retried its
    // throttles until its timeout ran out and failed with a reason that counts them
    const ceiling = OVERWHELMING.capacity + OVERWHELMING.refillPerSecond * SHORT_TIMEOUT.toSeconds();
    const served = run.deployments.filter((deployment) => statusesOf(deployment).includes(200));
    expect(run.timeoutSeconds).toBe(SHORT_TIMEOUT.toSeconds());
    expect({
      servedTheBurst: served.length >= OVERWHELMING.capacity,
      servedNoMoreThanTheLimitAllows: served.length <= ceiling,
    }).toEqual({ servedTheBurst: true, servedNoMoreThanTheLimitAllows: true });
    for (const deployment of run.deployments) {
      expectAnsweredOnceInTime(deployment);
      if (served.includes(deployment)) {
        expectReadAfterThrottles(deployment);
      } else {
        expect(statusesOf(deployment)).toEqual(Array(deployment.attempts.length).fill(429));
        expectRetriedUntilTheDeadline(deployment, (attempts) => `Wickr network ${deployment.networkId} (${REGION}): `
          + 'GetUsersCount failed with RateLimitError (HTTP 429, "Rate exceeded."). Throttled after '
          + `${attempts} attempts (retried ${attempts - 1} times); retry later or allow a longer timeout for more `
          + `retries. ${NO_TIME_LEFT}`);
      }
    }
  });

  test('writes no credential and no presigned URL to stdout, stderr or the answers while deploying at once', () => {
    // GIVEN the runs above captured their output
    expect(output.text).toContain('Answering SUCCESS');
    expect(output.text).toContain('Answering FAILED');

    // WHEN
    const leaks = findLeaks([output.text, ...answerBodies].join('\n'), secretsOf(harness.receiver));

    // THEN
    expect(leaks).toEqual([]);
  });
});
