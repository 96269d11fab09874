/**
 * What every deployment owes CloudFormation, whatever the fault: one answer, in time, naming the request it
 * answers, within CloudFormation's size limit.
 */
import { Deployment } from './deployments';
import { DATA, REGION } from '../handler/harness';

/** CloudFormation refuses a larger response body. */
const MAX_RESPONSE_BYTES = 4096;

/** The handler's retry ceiling (`lambda/wickr/client.ts`); attempts beyond it would be a bug. */
export const MAX_ATTEMPTS = 5;

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
    attemptsWithinTheCeiling: deployment.attempts.length >= 1 && deployment.attempts.length <= MAX_ATTEMPTS,
    bodyWithinTheLimit: accepted.every((put) => Buffer.byteLength(put.body) <= MAX_RESPONSE_BYTES),
  }).toEqual({
    threw: undefined,
    returned: undefined,
    answers: 1,
    answeredBeforeTheFunctionEnds: true,
    callsAfterTheTimeout: 0,
    attemptsWithinTheCeiling: true,
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

/** The statuses the emulator recorded for the deployment's Wickr calls, in order. */
export function statusesOf(deployment: Deployment): (number | string)[] {
  return deployment.attempts.map((attempt) => attempt.status);
}
