import { CloudFormationResponse, encodeResponse, parseResponseUrl, putResponse } from './cfn-response';
import { createLogger, Logger, writeLine } from './log';
import { parseProperties, ResourceProperties } from './properties';
import {
  AttemptInfo, evaluateGuard, formatMetricsLine, getUsersCount, hasConditions, isNetworkId, isRegion, UsersCount,
} from './wickr';

/** The part of the Lambda context the handler uses. */
export interface LambdaContext {
  readonly invokedFunctionArn?: string;
  getRemainingTimeInMillis(): number;
}

/** What the construct's schedule sends: read the counts and publish the metrics, nothing else. */
export interface RefreshEvent {
  readonly WickrUsersCountRefresh: unknown;
}

const RESOURCE_TYPE = 'Custom::WickrUsersCount';

/** Who the permission hints address: the credentials are the function's own. */
const PRINCIPAL = 'the function\'s role';

export async function handler(event: unknown, context: LambdaContext): Promise<UsersCount | undefined> {
  if (isRefreshEvent(event)) {
    return refresh(event.WickrUsersCountRefresh, context);
  }
  await answerCloudFormation(isObject(event) ? event : {}, context);
  return undefined;
}

/**
 * Answers a CloudFormation request exactly once. A watchdog answers FAILED shortly before the function would be
 * stopped, since a stopped function would leave the stack waiting for an hour; once any answer has started,
 * the watchdog stays silent.
 */
async function answerCloudFormation(event: Record<string, unknown>, context: LambdaContext): Promise<void> {
  const log = createLogger({ requestType: text(event.RequestType), logicalResourceId: text(event.LogicalResourceId) });
  const url = parseResponseUrl(event.ResponseURL);
  if (!url) {
    log.error(event.ResponseURL === undefined
      ? 'The event has no ResponseURL, so CloudFormation cannot be answered; ignoring it'
      : 'The ResponseURL is not an https URL, so CloudFormation cannot be answered; ignoring it');
    return;
  }

  const startedAt = Date.now();
  const remainingMs = context.getRemainingTimeInMillis();
  const budget = timeBudget(startedAt, remainingMs);
  const identity = {
    StackId: text(event.StackId) ?? '',
    RequestId: text(event.RequestId) ?? '',
    LogicalResourceId: text(event.LogicalResourceId) ?? '',
  };

  let answering: Promise<void> | undefined;
  const answer = (response: CloudFormationResponse): Promise<void> => {
    answering ??= send(response);
    return answering;
  };
  const send = async (response: CloudFormationResponse): Promise<void> => {
    log.info(response.Status === 'SUCCESS' ? 'Answering SUCCESS' : 'Answering FAILED', {
      status: response.Status,
      reason: response.Reason,
      durationMs: Date.now() - startedAt,
    });
    await putResponse(url, encodeResponse(response), { log, deadline: budget.functionEndsAt });
  };

  let watchdog: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve, reject) => {
    watchdog = setTimeout(() => {
      const after = (budget.watchdogMs / 1000).toFixed(1);
      answer({
        Status: 'FAILED',
        Reason: `${RESOURCE_TYPE} timed out after ${after} s before the Wickr users count was read; `
          + 'the function was about to be stopped.',
        PhysicalResourceId: text(event.PhysicalResourceId) ?? physicalIdOf(event),
        ...identity,
      }).then(resolve, reject);
    }, budget.watchdogMs);
  });

  try {
    const work = decide(event, context, budget, log)
      .catch((error: unknown) => failed(describe(error), text(event.PhysicalResourceId) ?? physicalIdOf(event)))
      .then((response) => answer({ ...response, ...identity }));
    await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(watchdog);
  }
}

type Decision = Omit<CloudFormationResponse, 'StackId' | 'RequestId' | 'LogicalResourceId'>;

/** Decides the answer: every failure becomes a FAILED with a reason a person can act on. */
async function decide(
  event: Record<string, unknown>, context: LambdaContext, budget: TimeBudget, log: Logger,
): Promise<Decision> {
  const requestType = event.RequestType;
  const eventPhysicalId = text(event.PhysicalResourceId);
  if (requestType === 'Delete') {
    log.info('Delete: nothing to remove, the API is not called');
    // Reading counts has nothing to undo, and a Delete must never be blocked by the API or by bad properties.
    return { Status: 'SUCCESS', PhysicalResourceId: eventPhysicalId ?? fallbackPhysicalId(event) };
  }

  // A failed Update keeps the event's id (Create events carry none): a new id would make CloudFormation think the
  // resource was replaced.
  const keptId = eventPhysicalId;
  const missing = ['StackId', 'RequestId', 'LogicalResourceId'].filter((name) => text(event[name]) === undefined);
  if (requestType !== 'Create' && requestType !== 'Update') {
    return failed(`RequestType must be Create, Update or Delete, got ${JSON.stringify(requestType) ?? 'nothing'}.`,
      keptId ?? fallbackPhysicalId(event));
  }
  if (missing.length > 0) {
    return failed(`The ${requestType} event is missing ${missing.join(', ')}.`, keptId ?? fallbackPhysicalId(event));
  }

  const { properties, problems } = parseProperties(event.ResourceProperties, { timeoutRequired: true });
  if (!properties) {
    const reason = `${RESOURCE_TYPE} properties are invalid: ${problems.join(' ')}`;
    return failed(reason, keptId ?? fallbackPhysicalId(event));
  }

  const physicalId = `WickrUsersCount:${properties.region}:${properties.networkId}`;
  const scoped = log.with({ networkId: properties.networkId, region: properties.region });
  scoped.info(`${requestType}: reading the users count`);
  let counts: UsersCount;
  try {
    counts = await readCounts(properties, context, budget, scoped);
  } catch (error) {
    return failed(describe(error), keptId ?? physicalId);
  }

  const data: Record<string, string | number> = {
    Pending: counts.pending,
    Active: counts.active,
    Rejected: counts.rejected,
    Remaining: counts.remaining,
    Total: counts.total,
  };
  if (hasConditions(properties.conditions)) {
    const verdict = evaluateGuard(counts, properties.conditions, properties);
    const outcome = verdict.passed ? 'Capacity check passed' : `Capacity check failed (${properties.guardMode})`;
    scoped.info(outcome, { reason: verdict.message });
    if (!verdict.passed && properties.guardMode === 'ENFORCE') {
      return failed(verdict.message, keptId ?? physicalId);
    }
    data.GuardPassed = String(verdict.passed);
    data.GuardMessage = verdict.message;
  }
  return { Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: data };
}

/** A scheduled refresh: counts to metrics. Failures are thrown so the invocation counts as an error. */
async function refresh(input: unknown, context: LambdaContext): Promise<UsersCount> {
  const fields = isObject(input) ? input : {};
  const log = createLogger({ requestType: 'Refresh', networkId: text(fields.NetworkId), region: text(fields.Region) });
  const { properties, problems } = parseProperties(input, { timeoutRequired: false });
  if (!properties) {
    const reason = `The refresh event is invalid: ${problems.join(' ')}`;
    log.error('Refresh failed', { reason });
    throw new Error(reason);
  }

  try {
    const budget = timeBudget(Date.now(), context.getRemainingTimeInMillis());
    const counts = await readCounts(properties, context, budget, log);
    log.info('Refreshed the users count metrics');
    return counts;
  } catch (error) {
    log.error('Refresh failed', { reason: describe(error) });
    throw error;
  }
}

async function readCounts(
  properties: ResourceProperties, context: LambdaContext, budget: TimeBudget, log: Logger,
): Promise<UsersCount> {
  const ownDeadline = properties.timeoutSeconds === undefined
    ? Infinity
    : budget.startedAt + properties.timeoutSeconds * 1000;
  const counts = await getUsersCount({
    networkId: properties.networkId,
    region: properties.region,
    useFips: properties.useFips,
    useDualStack: properties.useDualStack,
    accountId: accountOf(context),
    principal: PRINCIPAL,
    // Read at call time: Lambda refreshes the role's credentials between invocations.
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: process.env.AWS_SESSION_TOKEN || undefined,
    },
    deadline: Math.min(ownDeadline, budget.readDeadline),
    onAttempt: (info: AttemptInfo) => logAttempt(log, info),
  });

  writeLine(formatMetricsLine(counts, properties));
  return counts;
}

function logAttempt(log: Logger, info: AttemptInfo): void {
  const fields = { ...info, status: info.status ?? info.error };
  if (info.status === 200) {
    log.info('GetUsersCount answered', fields);
  } else if (info.retryInMs !== undefined) {
    log.warn('GetUsersCount attempt failed; retrying', fields);
  } else {
    log.error('GetUsersCount attempt failed', fields);
  }
}

interface TimeBudget {
  readonly startedAt: number;
  /** The read must be over by then, leaving time to PUT the answer. */
  readonly readDeadline: number;
  /** When the watchdog answers, relative to the start. */
  readonly watchdogMs: number;
  readonly functionEndsAt: number;
}

/**
 * Splits the function's remaining time: the read ends with a reserve left to PUT the answer, and the watchdog
 * fires between the two. The reserve shrinks with short remaining times so a short-lived function still reads.
 */
function timeBudget(startedAt: number, remainingMs: number): TimeBudget {
  const answerReserveMs = Math.min(3000, Math.floor(remainingMs / 4));
  const watchdogMarginMs = Math.min(1000, Math.floor(remainingMs / 10));
  return {
    startedAt,
    readDeadline: startedAt + remainingMs - answerReserveMs,
    watchdogMs: Math.max(0, remainingMs - watchdogMarginMs),
    functionEndsAt: startedAt + remainingMs,
  };
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
  return logicalId ? `WickrUsersCount:invalid:${logicalId}` : 'WickrUsersCount:invalid';
}

function accountOf(context: LambdaContext): string | undefined {
  const account = context.invokedFunctionArn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : `Unexpected failure: ${String(error)}`;
}

function isRefreshEvent(event: unknown): event is RefreshEvent {
  return isObject(event) && 'WickrUsersCountRefresh' in event;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
