import {
  expectAnsweredOnceInTime, expectCounts, expectFailure, expectRetriedUntilTheDeadline, NO_TIME_LEFT, statusesOf,
} from './checks';
import { Deployment, secretsOf } from './deployments';
import { findLeaks, OutputCapture } from './output';
import {
  burstLength, OVERSIZED_BODY, refusedPuts, runScenario, SCENARIOS, STORM_PROBABILITY, WRONG_TYPE_BODIES,
} from './scenarios';
import { Harness, REGION } from '../handler/harness';

let harness: Harness;
const output = new OutputCapture();
const answerBodies: string[] = [];

beforeAll(async () => {
  harness = await Harness.start();
});

afterAll(async () => {
  await harness.stop();
});

async function deploymentsOf(id: string): Promise<readonly Deployment[]> {
  const scenario = SCENARIOS.find((candidate) => candidate.id === id);
  if (!scenario) {
    throw new Error(`no scenario ${id}`);
  }
  const run = await output.during(() => runScenario(harness, scenario));
  answerBodies.push(...run.deployments.flatMap((deployment) => deployment.puts.map((put) => put.body)));
  return run.deployments;
}

/** How every reason names the deployment's network. */
function where(deployment: Deployment): string {
  return `Wickr network ${deployment.networkId} (${REGION})`;
}

describe('the bundled handler under faults', () => {
  // The storm runs its deployments at once, so it lasts as long as the unluckiest one: up to its 60 s timeout.
  test('answers every deployment SUCCESS, once, within its timeout, in a throttling storm', async () => {
    // GIVEN a storm in which most calls are throttled
    // WHEN 20 deployments run through it at once
    const deployments = await deploymentsOf('storm');

    // THEN each one retried its throttles, however many, and read the counts on its first 200
    const calls = deployments.flatMap(statusesOf);
    expect(calls.filter((status) => status === 429).length).toBeGreaterThan(calls.length * STORM_PROBABILITY / 2);
    for (const deployment of deployments) {
      expectAnsweredOnceInTime(deployment);
      const statuses = statusesOf(deployment);
      expect(statuses).toEqual([...Array(statuses.length - 1).fill(429), 200]);
      expectCounts(deployment);
    }
  }, 90_000);

  test('retries bursts of 500, 502, 503 and 504 and reads the counts after them', async () => {
    // GIVEN bursts of 1 to 5 server errors
    // WHEN a deployment meets each burst
    const deployments = await deploymentsOf('server-errors');

    // THEN
    const expected = [500, 502, 503, 504];
    deployments.forEach((deployment, index) => {
      expectAnsweredOnceInTime(deployment);
      const burst = Array.from({ length: burstLength(index) }, (_, i) => expected[i % expected.length]);
      expect(statusesOf(deployment)).toEqual([...burst, 200]);
      expectCounts(deployment);
    });
  });

  test('fails when every call answers 503, after retrying until the timeout', async () => {
    // GIVEN every call answers 503, with a 5-second timeout
    // WHEN
    const deployments = await deploymentsOf('server-errors-always');

    // THEN each one retried until the timeout ran out, and the reason counts the calls
    for (const deployment of deployments) {
      expectAnsweredOnceInTime(deployment);
      expect(statusesOf(deployment)).toEqual(Array(deployment.attempts.length).fill(503));
      expectRetriedUntilTheDeadline(deployment, (attempts) => `${where(deployment)}: GetUsersCount failed with `
        + `HTTP 503. The service was unavailable after ${attempts} attempts (retried ${attempts - 1} times); retry `
        + `later. ${NO_TIME_LEFT}`);
    }
  });

  test('retries bursts of connections reset without an answer and reads the counts after them', async () => {
    // GIVEN bursts of 1 to 5 resets
    // WHEN a deployment meets each burst
    const deployments = await deploymentsOf('resets');

    // THEN
    deployments.forEach((deployment, index) => {
      expectAnsweredOnceInTime(deployment);
      expect(statusesOf(deployment)).toEqual([...Array(burstLength(index)).fill('reset'), 200]);
      expectCounts(deployment);
    });
  });

  test('fails when every connection is reset, after retrying until the timeout', async () => {
    // GIVEN every call has its connection reset, with a 5-second timeout
    // WHEN
    const deployments = await deploymentsOf('resets-always');

    // THEN each one retried until the timeout ran out, and the reason counts the calls
    const host = harness.apiHost;
    for (const deployment of deployments) {
      expectAnsweredOnceInTime(deployment);
      expect(statusesOf(deployment)).toEqual(Array(deployment.attempts.length).fill('reset'));
      expectRetriedUntilTheDeadline(deployment, (attempts) => `${where(deployment)}: GetUsersCount could not reach `
        + `${host} (ECONNRESET: read ECONNRESET) after ${attempts} attempts. Check that ${host} is reachable from `
        + 'where this runs (from a VPC, through a NAT gateway) or allow a longer timeout.');
    }
  });

  test('cuts a hung call short and succeeds on the next one, well before the timeout', async () => {
    // GIVEN a first call that is never answered, with a 5-second timeout
    // WHEN
    const deployments = await deploymentsOf('hang-once');

    // THEN the hung attempt was given up after at least the 1-second floor, not after the whole timeout
    for (const deployment of deployments) {
      expectAnsweredOnceInTime(deployment);
      expect(statusesOf(deployment)).toEqual(['hang', 200]);
      expectCounts(deployment);
      const [hung, next] = deployment.attempts;
      expect(next.receivedAt - hung.receivedAt).toBeGreaterThanOrEqual(1000);
      expect(next.receivedAt).toBeLessThan(deployment.readDeadline);
    }
  });

  test('answers FAILED within the timeout when every call hangs', async () => {
    // GIVEN no call is ever answered, with a 5-second timeout
    // WHEN
    const deployments = await deploymentsOf('hang-always');

    // THEN each attempt was cut short and retried until the timeout ran out
    for (const deployment of deployments) {
      expectAnsweredOnceInTime(deployment);
      const attempts = deployment.attempts.length;
      expect(attempts).toBeGreaterThan(1);
      expect(statusesOf(deployment)).toEqual(Array(attempts).fill('hang'));
      expectFailure(deployment, `got no answer from ${harness.apiHost}`, `${attempts} attempts`);
    }
  });

  test('answers FAILED before the function is stopped when its time is shorter than the timeout', async () => {
    // GIVEN every call hangs, TimeoutSeconds is 100 and the function has 8 seconds left
    // WHEN
    const deployments = await deploymentsOf('hang-short-function');

    // THEN the function's own time bounded the read (checked against the context's end)
    for (const deployment of deployments) {
      expectAnsweredOnceInTime(deployment);
      expect(statusesOf(deployment)).toEqual(Array(deployment.attempts.length).fill('hang'));
      expectFailure(deployment, `got no answer from ${harness.apiHost}`);
    }
  });

  test('reads a body that trickles in within one attempt', async () => {
    // GIVEN the body arrives 8 bytes every 100 ms
    // WHEN
    const deployments = await deploymentsOf('trickle');

    // THEN
    for (const deployment of deployments) {
      expectAnsweredOnceInTime(deployment);
      expect(statusesOf(deployment)).toEqual([200]);
      expectCounts(deployment);
    }
  });

  test('cuts a body that trickles slower than an attempt may take, and answers FAILED within the timeout', async () => {
    // GIVEN the body arrives 1 byte every 100 ms, so it would take 6 seconds
    // WHEN
    const deployments = await deploymentsOf('trickle-stalled');

    // THEN
    for (const deployment of deployments) {
      expectAnsweredOnceInTime(deployment);
      const attempts = deployment.attempts.length;
      expect(attempts).toBeGreaterThan(1);
      expect(deployment.attempts.map((attempt) => attempt.fault)).toEqual(Array(attempts).fill('trickle'));
      expectFailure(deployment, `got no answer from ${harness.apiHost}`, `${attempts} attempts`);
    }
  });

  test('refuses a body over 1 MB without reading it, and does not retry', async () => {
    // GIVEN a valid users count padded past 1 MB
    const size = Buffer.byteLength(OVERSIZED_BODY);

    // WHEN
    const deployments = await deploymentsOf('oversized');

    // THEN
    for (const deployment of deployments) {
      expectAnsweredOnceInTime(deployment);
      expect(statusesOf(deployment)).toEqual([200]);
      expectFailure(deployment, `GetUsersCount answered HTTP 200 with a body of ${size} bytes`,
        'over the 65536-byte limit');
    }
  });

  test('refuses counts of the wrong type, naming the count, and does not retry', async () => {
    // GIVEN
    const expected = [
      '"active" must be a non-negative integer, got "40"',
      '"pending" must be a non-negative integer, got -5',
      '"remaining" must be a non-negative integer, got 10.5',
      '"rejected" must be a non-negative integer, got null',
      '"total" must be a non-negative integer, got 9007199254740992',
      'the body has no "total" count',
      'the body is not a JSON object',
      'the body is not JSON',
    ];
    expect(expected).toHaveLength(WRONG_TYPE_BODIES.length);

    // WHEN
    const deployments = await deploymentsOf('wrong-types');

    // THEN
    deployments.forEach((deployment, index) => {
      expectAnsweredOnceInTime(deployment);
      expect(statusesOf(deployment)).toEqual([200]);
      expectFailure(deployment, 'GetUsersCount answered HTTP 200, but', expected[index]);
    });
  });

  test('answers once through a ResponseURL that fails transiently', async () => {
    // GIVEN the first 1 to 4 PUTs of each answer fail
    // WHEN
    const deployments = await deploymentsOf('response-url-transient');

    // THEN every answer was PUT again until one was accepted, and the counts were read once
    deployments.forEach((deployment, index) => {
      expectAnsweredOnceInTime(deployment);
      expectCounts(deployment);
      const refusal = index % 2 === 0 ? 503 : 'reset';
      expect(deployment.puts.map((put) => put.answeredWith)).toEqual([...Array(refusedPuts(index)).fill(refusal), 200]);
      expect(statusesOf(deployment)).toEqual([200]);
    });
  });

  test('fails the invocation when the ResponseURL refuses the answer, without retrying the PUT', async () => {
    // GIVEN the PUT is refused with 403, as an expired presigned URL is
    // WHEN
    const deployments = await deploymentsOf('response-url-refused');

    // THEN the invocation rejects, so Lambda's own retry can answer again
    for (const deployment of deployments) {
      expect(deployment.puts.map((put) => put.answeredWith)).toEqual([403]);
      expect(deployment.answers).toEqual([]);
      expect(statusesOf(deployment)).toEqual([200]);
      expect(String(deployment.threw)).toContain('The response to CloudFormation was not accepted (403, attempt 1)');
    }
  });

  test('writes no credential and no presigned URL to stdout, stderr or the answers during the fault suite', () => {
    // GIVEN every scenario above ran with its output captured
    expect(output.lineCount).toBeGreaterThan(100);
    expect(output.text).toContain('Answering FAILED');

    // WHEN
    const leaks = findLeaks([output.text, ...answerBodies].join('\n'), secretsOf(harness.receiver));

    // THEN
    expect(leaks).toEqual([]);
  });
});
