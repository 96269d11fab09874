/**
 * What every deployment owes CloudFormation, whatever the fault: one answer, in time, naming the request it
 * answers, within CloudFormation's size limit.
 */
import { Deployment } from './deployments';
import { DATA, REGION } from '../handler/harness';

/** CloudFormation refuses a larger response body. */
const MAX_RESPONSE_BYTES = 4096;

/** What a reason adds when retrying stopped because the next attempt could not start before the deadline. */
export const NO_TIME_LEFT = 'No time was left before the deadline for another attempt.';

/**
 * Checks that the deployment was answered exactly once, before the function would have been stopped, with no
 * Wickr call started after `TimeoutSeconds`, and that the answer names the request and the network.
 */
export function expectAnsweredOnceInTime(deployment: Deployment): void {
  const accepted = deployment.puts.filter((put) => put.answeredWith === 200);
  const late = deployment.attempts.filter((attempt) => attempt.receivedAt > deployment.readDeadline);
  expect({
    threw: deployment.threw,
    returned: deployment.returned,
    answers: deployment.answers.length,
    answeredBeforeTheFunctionEnds: accepted.every((put) => put.receivedAt <= deployment.contextEndsAt),
    callsAfterTheTimeout: late.length,
    calledTheApi: deployment.attempts.length >= 1,
    bodyWithinTheLimit: accepted.every((put) => Buffer.byteLength(put.body) <= MAX_RESPONSE_BYTES),
  }).toEqual({
    threw: undefined,
    returned: undefined,
    answers: 1,
    answeredBeforeTheFunctionEnds: true,
    callsAfterTheTimeout: 0,
    calledTheApi: true,
    bodyWithinTheLimit: true,
  });

  const { StackId, RequestId, LogicalResourceId } = deployment.event;
  expect(deployment.answers[0]).toMatchObject({
    StackId,
    RequestId,
    LogicalResourceId,
    PhysicalResourceId: `WickrUsersCount:${REGION}:${deployment.networkId}`,
  });
}

/** Checks a SUCCESS carrying exactly the emulator's counts. */
export function expectCounts(deployment: Deployment): void {
  const { Status, Data, Reason } = deployment.answers[0];
  expect({ Status, Data, Reason }).toEqual({ Status: 'SUCCESS', Data: DATA, Reason: undefined });
}

/** Checks a FAILED whose reason contains every fragment. */
export function expectFailure(deployment: Deployment, ...fragments: string[]): void {
  const { Status, Data, Reason } = deployment.answers[0];
  expect({ Status, Data }).toEqual({ Status: 'FAILED', Data: undefined });
  for (const fragment of fragments) {
    expect(Reason).toContain(fragment);
  }
}

/**
 * Checks a FAILED with exactly this reason after retrying until the deadline: more than one call, the last in the
 * final second of `TimeoutSeconds`, and the answer accepted before it ran out. The reason is built from the number
 * of calls the emulator received.
 */
export function expectRetriedUntilTheDeadline(deployment: Deployment, reason: (attempts: number) => string): void {
  const { Status, Data, Reason } = deployment.answers[0];
  const accepted = deployment.puts.filter((put) => put.answeredWith === 200);
  expect({
    Status,
    Data,
    Reason,
    retried: deployment.attempts.length >= 2,
    lastCallInTheFinalSecond: deployment.readDeadline - deployment.attempts[deployment.attempts.length - 1].receivedAt
      <= 1000,
    answeredBeforeTheTimeout: accepted.every((put) => put.receivedAt <= deployment.readDeadline),
  }).toEqual({
    Status: 'FAILED',
    Data: undefined,
    Reason: reason(deployment.attempts.length),
    retried: true,
    lastCallInTheFinalSecond: true,
    answeredBeforeTheTimeout: true,
  });
}

/** The statuses the emulator recorded for the deployment's Wickr calls, in order. */
export function statusesOf(deployment: Deployment): (number | string)[] {
  return deployment.attempts.map((attempt) => attempt.status);
}
