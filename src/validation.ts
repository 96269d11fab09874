import { Duration, Token } from 'aws-cdk-lib';

const NETWORK_ID = /^[0-9]{8}$/;

// The handler's pattern (lambda/wickr/endpoint.ts), so that a region accepted here is accepted at deployment too.
// Covers every partition's naming: us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1.
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d{1,2}$/;

/**
 * The limits on `timeout`, which becomes the handler's `TimeoutSeconds`: the handler needs a few seconds for one
 * request, and must answer CloudFormation well inside the function's own 2-minute timeout.
 */
export const MIN_TIMEOUT_SECONDS = 5;
export const MAX_TIMEOUT_SECONDS = 100;

/**
 * The limits on `serviceTimeout`: above the function's 2-minute timeout, so CloudFormation never gives up on a
 * function that is still allowed to answer, and at most CloudFormation's own limit of one hour.
 */
export const MIN_SERVICE_TIMEOUT_SECONDS = 180;
export const MAX_SERVICE_TIMEOUT_SECONDS = 3600;

export function validateNetworkId(networkId: string): void {
  if (Token.isUnresolved(networkId)) {
    return;
  }
  if (!NETWORK_ID.test(networkId)) {
    throw new Error(`\`networkId\` must be 8 digits, got ${JSON.stringify(networkId)}`);
  }
}

export function validateRegion(region: string): void {
  if (Token.isUnresolved(region)) {
    return;
  }
  if (!REGION.test(region)) {
    throw new Error(
      `\`region\` must be an AWS region name such as "us-east-1" or "us-gov-west-1", got ${JSON.stringify(region)}`,
    );
  }
}

/**
 * Checks that `duration` is a whole number of seconds from `min` to `max` seconds and returns it in seconds, or
 * returns the token unchanged when the duration is only known at deployment.
 */
export function validateSeconds(name: string, duration: Duration, min: number, max: number, why: string): number {
  if (duration.isUnresolved()) {
    return duration.toSeconds();
  }

  const millis = duration.toMilliseconds();
  if (millis % 1000 !== 0 || millis < min * 1000 || millis > max * 1000) {
    throw new Error(
      `\`${name}\` must be a whole number of seconds from ${min} to ${max} (${why}), got ${millis / 1000} seconds`,
    );
  }
  return millis / 1000;
}

/**
 * Checks a capacity threshold: a user count, so a non-negative integer. Tokens pass; the handler checks them.
 */
export function validateCount(name: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`\`${name}\` must be a non-negative integer, got ${value}`);
  }
  // Larger numbers lose their last digits on the way through JSON, and the handler refuses them at deployment.
  if (!Number.isSafeInteger(value)) {
    throw new Error(`\`${name}\` must be at most ${Number.MAX_SAFE_INTEGER}, got ${value}`);
  }
}

/**
 * A ceiling on pending or active users above the ceiling on their sum could never be the one that fails.
 */
export function validateCeilingBelowTotal(name: string, value: number | undefined, maximumTotal: number | undefined): void {
  if (value === undefined || maximumTotal === undefined || Token.isUnresolved(value) || Token.isUnresolved(maximumTotal)) {
    return;
  }
  if (value > maximumTotal) {
    throw new Error(
      `\`${name}\` (${value}) must not exceed \`maximumTotal\` (${maximumTotal}): total is active plus pending, ` +
      `so \`${name}\` could never be the condition that fails`,
    );
  }
}

export function validatePositiveInteger(name: string, value: number | undefined, meaning: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`\`${name}\` must be a positive integer (${meaning}), got ${value}`);
  }
}
