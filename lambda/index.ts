import { CloudFormationResponse, encodeResponse, parseResponseUrl, putResponse } from './cfn-response';
import { createLogger, Logger, writeLine } from './log';
import { parseProperties, ResourceProperties } from './properties';
import {
  evaluateGuard, formatMetricsLine, getUsersCount, hasConditions, isNetworkId, isRegion, metricValues, seconds,
  UsersCount,
} from './wickr';

/** The part of the Lambda context the handler uses. */
export interface LambdaContext {
  readonly invokedFunctionArn?: string;
  getRemainingTimeInMillis(): number;
}

const RESOURCE_TYPE = 'Custom::WickrUsersCount';

/** The fields that tie an answer to its request; CloudFormation sends them on every event. */
const IDENTITY = ['StackId', 'RequestId', 'LogicalResourceId'] as const;

/**
 * A CloudFormation custom resource request, or the construct's schedule (`{ WickrUsersCountRefresh: {...} }`),
 * which only reads the counts and publishes the metrics.
 */
export async function handler(event: unknown, context: LambdaContext): Promise<UsersCount | void> {
  const fields = isObject(event) ? event : {};
  return 'WickrUsersCountRefresh' in fields
    ? refresh(fields.WickrUsersCountRefresh, context)
    : answerCloudFormation(fields, context);
}

/**
 * Answers a CloudFormation request exactly once. A watchdog answers FAILED shortly before the function would be
 * stopped, since a stopped function would leave the stack waiting until the custom resource's service timeout
 * (5 minutes by default, up to an hour); once any answer has started, the watchdog stays silent.
 */
async function answerCloudFormation(event: Record<string, unknown>, context: LambdaContext): Promise<void> {
  const logicalResourceId = text(event.LogicalResourceId);
  const log = createLogger({ requestType: text(event.RequestType), logicalResourceId });
  const url = parseResponseUrl(event.ResponseURL);
  if (!url) {
    const problem = event.ResponseURL === undefined
      ? 'The event has no ResponseURL'
      : 'The ResponseURL is not an https URL';
    log.error(`${problem}, so CloudFormation cannot be answered; ignoring it`);
    return;
  }

  const startedAt = Date.now();
  const remainingMs = context.getRemainingTimeInMillis();
  // The watchdog fires between the end of the read and the end of the function.
  const watchdogMs = Math.max(0, remainingMs - Math.min(1000, Math.floor(remainingMs / 10)));
  const identity = Object.fromEntries(IDENTITY.map((name) => [name, text(event[name]) ?? ''])) as
    Pick<CloudFormationResponse, typeof IDENTITY[number]>;
  // The id of an answer that gives up: a failed Update keeps the event's id, since a new id would make
  // CloudFormation think the resource was replaced (Create events carry none).
  const failedId = text(event.PhysicalResourceId) ?? physicalIdOf(event);

  let answering: Promise<void> | undefined;
  const answer = (decision: Decision): Promise<void> => {
    const response = { ...decision, ...identity };
    log.info(`Answering ${response.Status}`, {
      status: response.Status,
      reason: response.Reason,
      durationMs: Date.now() - startedAt,
    });
    return putResponse(url, encodeResponse(response), log, startedAt + remainingMs);
  };

  let watchdog: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve, reject) => {
    watchdog = setTimeout(() => {
      const reason = `${RESOURCE_TYPE} timed out after ${seconds(watchdogMs)} before the Wickr users count was read; `
        + 'the function was about to be stopped.';
      (answering ??= answer(failed(reason, failedId))).then(resolve, reject);
    }, watchdogMs);
  });

  try {
    const work = decide(event, context, startedAt, readDeadline(startedAt, remainingMs), log)
      .catch((error: unknown) => failed(describe(error), failedId))
      .then((decision) => answering ??= answer(decision));
    await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(watchdog);
  }
}

type Decision = Omit<CloudFormationResponse, 'StackId' | 'RequestId' | 'LogicalResourceId'>;

/** Decides the answer: every failure becomes a FAILED with a reason a person can act on. */
async function decide(
  event: Record<string, unknown>, context: LambdaContext, startedAt: number, deadline: number, log: Logger,
): Promise<Decision> {
  const requestType = event.RequestType;
  const keptId = text(event.PhysicalResourceId) ?? fallbackPhysicalId(event);
  if (requestType === 'Delete') {
    log.info('Delete: nothing to remove, the API is not called');
    // Reading counts has nothing to undo, and a Delete must never be blocked by the API or by bad properties.
    return { Status: 'SUCCESS', PhysicalResourceId: keptId };
  }

  if (requestType !== 'Create' && requestType !== 'Update') {
    return failed(`RequestType must be Create, Update or Delete, got ${JSON.stringify(requestType) ?? 'nothing'}.`,
      keptId);
  }
  const missing = IDENTITY.filter((name) => !text(event[name]));
  if (missing.length > 0) {
    return failed(`The ${requestType} event is missing ${missing.join(', ')}.`, keptId);
  }
  const { properties, problems } = parseProperties(event.ResourceProperties, { timeoutRequired: true });
  if (!properties) {
    return failed(`${RESOURCE_TYPE} properties are invalid: ${problems.join(' ')}`, keptId);
  }

  // From here on a failure is thrown, and answered with the id of the event or of these properties.
  const scoped = log.with({ networkId: properties.networkId, region: properties.region });
  scoped.info(`${requestType}: reading the users count`);
  const counts = await readCounts(properties, context, startedAt, deadline, scoped);
  const data: Record<string, string | number> = metricValues(counts);
  if (hasConditions(properties.conditions)) {
    const verdict = evaluateGuard(counts, properties.conditions, properties);
    const outcome = verdict.passed ? 'Capacity check passed' : `Capacity check failed (${properties.guardMode})`;
    scoped.info(outcome, { reason: verdict.message });
    if (!verdict.passed && properties.guardMode === 'ENFORCE') {
      throw new Error(verdict.message);
    }
    data.GuardPassed = String(verdict.passed);
    data.GuardMessage = verdict.message;
  }
  return { Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(event), Data: data };
}

/** A scheduled refresh: counts to metrics. Failures are thrown so the invocation counts as an error. */
async function refresh(input: unknown, context: LambdaContext): Promise<UsersCount> {
  const fields = isObject(input) ? input : {};
  const log = createLogger({ requestType: 'Refresh', networkId: text(fields.NetworkId), region: text(fields.Region) });
  try {
    const { properties, problems } = parseProperties(input, { timeoutRequired: false });
    if (!properties) {
      throw new Error(`The refresh event is invalid: ${problems.join(' ')}`);
    }
    const startedAt = Date.now();
    const deadline = readDeadline(startedAt, context.getRemainingTimeInMillis());
    const counts = await readCounts(properties, context, startedAt, deadline, log);
    log.info('Refreshed the users count metrics');
    return counts;
  } catch (error) {
    log.error('Refresh failed', { reason: describe(error) });
    throw error;
  }
}

async function readCounts(
  properties: ResourceProperties, context: LambdaContext, startedAt: number, deadline: number, log: Logger,
): Promise<UsersCount> {
  const counts = await getUsersCount({
    ...properties,
    accountId: /^\d{12}$/.exec(context.invokedFunctionArn?.split(':')[4] ?? '')?.[0],
    // The credentials are the function's own, read at call time: Lambda refreshes them between invocations.
    principal: 'the function\'s role',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: process.env.AWS_SESSION_TOKEN || undefined,
    },
    deadline: Math.min(startedAt + (properties.timeoutSeconds ?? Infinity) * 1000, deadline),
    onAttempt: (info) => {
      const fields = { ...info, status: info.status ?? info.error };
      if (info.status === 200) {
        log.info('GetUsersCount answered', fields);
      } else if (info.retryInMs !== undefined) {
        log.warn('GetUsersCount attempt failed; retrying', fields);
      } else {
        log.error('GetUsersCount attempt failed', fields);
      }
    },
  });

  writeLine(formatMetricsLine(counts, properties));
  return counts;
}

/**
 * When a read must be over, leaving time to PUT the answer. The reserve shrinks with short remaining times so a
 * short-lived function still reads.
 */
function readDeadline(startedAt: number, remainingMs: number): number {
  return startedAt + remainingMs - Math.min(3000, Math.floor(remainingMs / 4));
}

function failed(reason: string, physicalResourceId: string): Decision {
  return { Status: 'FAILED', Reason: reason, PhysicalResourceId: physicalResourceId };
}

/** The id a Create would answer with, when the properties are good enough to tell. */
function physicalIdOf(event: Record<string, unknown>): string {
  const properties = isObject(event.ResourceProperties) ? event.ResourceProperties : {};
  return isNetworkId(properties.NetworkId) && isRegion(properties.Region)
    ? `WickrUsersCount:${properties.Region}:${properties.NetworkId}`
    : fallbackPhysicalId(event);
}

/** Stable across retries of the same resource, so CloudFormation's follow-up Delete names what it got. */
function fallbackPhysicalId(event: Record<string, unknown>): string {
  const logicalId = text(event.LogicalResourceId);
  return `WickrUsersCount:invalid${logicalId ? `:${logicalId}` : ''}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : `Unexpected failure: ${String(error)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or nothing. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value || undefined;
}
