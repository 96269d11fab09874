import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createApp, DEMO_STACK_NAME } from './app';
import { DeployTarget, findCustomResources, FoundCustomResource } from './assembly';
import { DEFAULT_EMULATOR_NETWORKS, SeedCounts } from '../cli/args';
import { renderTable } from '../cli/table';
import {
  cloudFormationEvent, CloudFormationEvent, lambdaContext, LOCAL_ACCOUNT_ID, LOCAL_REGION, RequestType,
  ResponseReceiver,
} from '../emulator/cloudformation';
import { DEFAULT_CREDENTIALS, WickrEmulator } from '../emulator/wickr-emulator';
import { UsersCount } from '../lambda/wickr/counts';
import { evaluateGuard, parseGuardConditions } from '../lambda/wickr/guard';

/**
 * The local end-to-end run: synthesizes the example app, loads the real handler bundle from the cloud assembly,
 * and plays CloudFormation's part against the Wickr emulator for four requests in a stack's life.
 */

type Handler = (event: CloudFormationEvent, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

interface StepPlan {
  readonly title: string;
  readonly requestType: RequestType;
  /** What the network holds when the step runs; absent: unchanged. */
  readonly counts?: SeedCounts;
  readonly expected: {
    readonly status: 'SUCCESS' | 'FAILED';
    /** Absent where no guard runs. */
    readonly guardPassed?: boolean;
    readonly apiCalls: number;
  };
}

const TARGET: DeployTarget = { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, stackName: DEMO_STACK_NAME };

const STEPS: readonly StepPlan[] = [
  {
    title: 'first deployment',
    requestType: 'Create',
    expected: { status: 'SUCCESS', guardPassed: true, apiCalls: 1 },
  },
  {
    title: 'next deployment, after invitations went out',
    requestType: 'Update',
    counts: { active: 52, pending: 8, rejected: 3, remaining: 40 },
    expected: { status: 'SUCCESS', guardPassed: true, apiCalls: 1 },
  },
  {
    title: 'a new stack, once the network has filled up',
    requestType: 'Create',
    counts: { active: 61, pending: 9, rejected: 4, remaining: 12 },
    expected: { status: 'FAILED', guardPassed: false, apiCalls: 1 },
  },
  {
    title: 'the rollback of that failed creation',
    requestType: 'Delete',
    expected: { status: 'SUCCESS', apiCalls: 0 },
  },
];

export interface StepResult {
  readonly step: number;
  readonly title: string;
  readonly requestType: RequestType;
  readonly networkId: string;
  /** What the handler read: the answer's Data, or, when the answer carries none, what the emulator served. */
  readonly counts?: UsersCount;
  readonly guard: 'passed' | 'failed' | '-';
  readonly status: string;
  /** What the CloudFormation console shows for the resource. */
  readonly shown: string;
  readonly physicalResourceId?: string;
  readonly apiCalls: number;
  /** Embedded Metric Format lines the handler printed. */
  readonly metricsLines: number;
  /** Why the step did not behave as planned; empty when it did. */
  readonly problems: readonly string[];
}

export interface DemoResult {
  readonly steps: readonly StepResult[];
  readonly summary: string;
  readonly ok: boolean;
}

export interface DemoOptions {
  /** Where the app is synthesized. @default demo/cdk.out */
  readonly outdir?: string;
  /** @default process.stdout */
  readonly write?: (text: string) => void;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const outdir = options.outdir ?? join(__dirname, 'cdk.out');
  const write = options.write ?? ((text: string) => { process.stdout.write(text); });

  rmSync(outdir, { recursive: true, force: true });
  createApp(outdir).app.synth();
  const [resource, ...others] = findCustomResources(outdir, TARGET);
  if (!resource || others.length > 0) {
    const found = others.length + (resource ? 1 : 0);
    throw new Error(`The demo app must have exactly one Custom::WickrUsersCount, found ${found}.`);
  }
  const handler = loadHandler(resource);

  const emulator = await WickrEmulator.start({ networks: { ...DEFAULT_EMULATOR_NETWORKS } });
  const receiver = await ResponseReceiver.start();
  const logLines: string[] = [];
  const steps: StepResult[] = [];
  try {
    write(introduction(outdir, resource, emulator));
    const networkId = String(resource.properties.NetworkId);
    let properties = resource.properties;
    let stackId = stackArn();
    let physicalResourceId: string | undefined;
    let oldProperties: Readonly<Record<string, unknown>> | undefined;

    for (const [index, plan] of STEPS.entries()) {
      if (plan.counts) {
        emulator.setNetwork(networkId, plan.counts);
      }
      const served = emulator.network(networkId);
      if (!served) {
        throw new Error(`The Wickr emulator serves no network ${networkId}, the demo app's NetworkId.`);
      }
      if (plan.requestType === 'Update') {
        // A new synthesis gives RefreshNonce a new value, which is what makes CloudFormation send the Update.
        oldProperties = properties;
        properties = { ...properties, RefreshNonce: randomUUID() };
      } else if (plan.requestType === 'Create') {
        stackId = stackArn();
        physicalResourceId = undefined;
        oldProperties = undefined;
      }

      emulator.clearRequests();
      const event = cloudFormationEvent(plan.requestType, properties, {
        responseUrl: receiver.responseUrl(`step-${index + 1}`),
        logicalResourceId: resource.logicalId,
        physicalResourceId,
        oldProperties,
        stackId,
      });
      const answered = receiver.requests.length;
      const lines = await invoke(handler, event, resource, emulator.url);
      logLines.push(...lines);
      const answer = receiver.requests.slice(answered).find((response) => response.answeredWith === 200);

      const result = judge(index + 1, plan, {
        properties,
        served,
        answer: answer && JSON.parse(answer.body),
        requestId: event.RequestId,
        apiCalls: emulator.requests,
        lines,
        secrets: [receiver.signature, DEFAULT_CREDENTIALS.secretAccessKey],
      });
      steps.push(result);
      physicalResourceId = result.physicalResourceId ?? physicalResourceId;
    }
  } finally {
    await receiver.stop();
    await emulator.stop();
    mkdirSync(outdir, { recursive: true });
    writeFileSync(join(outdir, 'handler.log'), logLines.map((line) => `${line}\n`).join(''));
  }

  const good = steps.filter((step) => step.problems.length === 0).length;
  const summary = `${steps.length} steps, ${good} as expected`;
  write(report(steps, summary, outdir));
  return { steps, summary, ok: good === steps.length };
}

/** Loads the bundle from the asset folder, exactly the file Lambda would run. */
function loadHandler(resource: FoundCustomResource): Handler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(resource.provider.handlerFile) as Record<string, unknown>;
  const handler = module[resource.provider.handlerExport];
  if (typeof handler !== 'function') {
    throw new Error(`${resource.provider.handlerFile} exports no function ${resource.provider.handlerExport}.`);
  }
  return handler as Handler;
}

/**
 * Runs the handler with the environment Lambda would give it (the role's credentials, the region) plus the
 * endpoint override that sends it to the emulator, and collects the lines it prints.
 */
async function invoke(handler: Handler, event: CloudFormationEvent, resource: FoundCustomResource, endpoint: string) {
  const lambdaEnv: Record<string, string> = {
    AWS_REGION: TARGET.region,
    AWS_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_WICKR: endpoint,
  };
  const savedEnv = { ...process.env };
  const savedWrite = process.stdout.write;
  const lines: string[] = [];
  Object.assign(process.env, lambdaEnv);
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_ENDPOINT_URL;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((line) => line !== ''));
    return true;
  }) as typeof process.stdout.write;
  try {
    const context = {
      ...lambdaContext(resource.provider.timeoutSeconds * 1000),
      invokedFunctionArn: resource.provider.arn,
    };
    await handler(event, context);
  } finally {
    process.stdout.write = savedWrite;
    for (const name of Object.keys(lambdaEnv)) {
      delete process.env[name];
    }
    Object.assign(process.env, savedEnv);
  }
  return lines;
}

interface Observed {
  readonly properties: Readonly<Record<string, unknown>>;
  readonly served: UsersCount;
  readonly answer?: { Status?: string; Reason?: string; PhysicalResourceId?: string; Data?: Record<string, unknown> };
  readonly requestId: string;
  readonly apiCalls: readonly { status: unknown; region?: string }[];
  readonly lines: readonly string[];
  /** The presigned URL's signature and the secret key: neither may reach a log line. */
  readonly secrets: readonly string[];
}

/** Compares what happened with the plan, and with what the network held, and words the result. */
function judge(step: number, plan: StepPlan, observed: Observed): StepResult {
  const { properties, served, answer } = observed;
  const networkId = String(properties.NetworkId);
  const region = String(properties.Region);
  const problems: string[] = [];
  const metricsLines = observed.lines.filter((line) => line.includes('"CloudWatchMetrics"')).length;
  const reads = plan.requestType !== 'Delete';

  if (!answer) {
    problems.push('the handler PUT no answer to the ResponseURL');
  } else if (answer.Status !== plan.expected.status) {
    const reason = answer.Reason ? `: ${answer.Reason}` : '';
    problems.push(`answered ${answer.Status}, expected ${plan.expected.status}${reason}`);
  }
  const expectedId = `WickrUsersCount:${region}:${networkId}`;
  if (answer && answer.PhysicalResourceId !== expectedId) {
    problems.push(`PhysicalResourceId ${answer.PhysicalResourceId}, expected ${expectedId}`);
  }
  if (observed.apiCalls.length !== plan.expected.apiCalls) {
    problems.push(`${observed.apiCalls.length} GetUsersCount call(s), expected ${plan.expected.apiCalls}`);
  }
  if (observed.apiCalls.some((call) => call.region !== region)) {
    problems.push(`a call was signed for another region than ${region}`);
  }
  if (observed.lines.some((line) => observed.secrets.some((secret) => line.includes(secret)))) {
    problems.push('a log line carries the ResponseURL\'s signature or the secret key');
  }
  if (metricsLines !== (reads ? 1 : 0)) {
    problems.push(`${metricsLines} metrics line(s), expected ${reads ? 1 : 0}`);
  }

  const verdict = evaluateGuard(served, parseGuardConditions(properties).conditions, { networkId, region });
  const data = answer?.Data;
  let counts: UsersCount | undefined;
  let guard: StepResult['guard'] = '-';
  if (reads && answer?.Status === 'SUCCESS' && data) {
    counts = {
      pending: Number(data.Pending),
      active: Number(data.Active),
      rejected: Number(data.Rejected),
      remaining: Number(data.Remaining),
      total: Number(data.Total),
    };
    guard = data.GuardPassed === 'true' ? 'passed' : 'failed';
    if (JSON.stringify(counts) !== JSON.stringify(served)) {
      problems.push(`Data holds ${JSON.stringify(counts)}, the network held ${JSON.stringify(served)}`);
    }
    if (data.GuardMessage !== verdict.message) {
      problems.push(`GuardMessage ${JSON.stringify(data.GuardMessage)}, expected ${JSON.stringify(verdict.message)}`);
    }
  } else if (reads && answer?.Status === 'FAILED') {
    counts = served;
    guard = answer.Reason === verdict.message ? 'failed' : '-';
    if (guard !== 'failed') {
      problems.push(`the Reason is not the guard's: ${answer.Reason}`);
    }
  }
  if (plan.expected.guardPassed !== undefined && guard !== (plan.expected.guardPassed ? 'passed' : 'failed')) {
    problems.push(`guard ${guard}, expected ${plan.expected.guardPassed ? 'passed' : 'failed'}`);
  }

  return {
    step,
    title: plan.title,
    requestType: plan.requestType,
    networkId,
    counts,
    guard,
    status: answer?.Status ?? 'no answer',
    shown: shownByCloudFormation(plan.requestType, answer, observed.requestId),
    physicalResourceId: answer?.PhysicalResourceId,
    apiCalls: observed.apiCalls.length,
    metricsLines,
    problems,
  };
}

/** The status and reason the CloudFormation console shows for the custom resource after this answer. */
function shownByCloudFormation(requestType: RequestType, answer: Observed['answer'], requestId: string): string {
  const status = `${requestType.toUpperCase()}_${answer?.Status === 'SUCCESS' ? 'COMPLETE' : 'FAILED'}`;
  if (!answer) {
    return `${status}: no answer; CloudFormation waits for the service timeout`;
  }
  if (answer.Status === 'SUCCESS') {
    return answer.Data?.GuardMessage ? `${status} (GuardMessage: ${answer.Data.GuardMessage})` : status;
  }
  return `${status}: Received response status [FAILED] from custom resource. Message returned: ${answer.Reason} `
    + `(RequestId: ${requestId})`;
}

function introduction(outdir: string, resource: FoundCustomResource, emulator: WickrEmulator): string {
  const provider = resource.provider;
  return [
    `Synthesized ${DEMO_STACK_NAME} into ${relative(process.cwd(), outdir)}; `
      + `playing CloudFormation for a deployment to ${TARGET.region}.`,
    `Custom resource: ${resource.logicalId} (Custom::WickrUsersCount), NetworkId ${resource.properties.NetworkId}, `
      + `MinimumRemaining ${resource.properties.MinimumRemaining}, GuardMode ${resource.properties.GuardMode}`,
    `Handler: ${relative(process.cwd(), provider.handlerFile)} (${provider.logicalId}, ${provider.runtime}, `
      + `${provider.timeoutSeconds} s)`,
    `Wickr emulator: ${emulator.url}`,
    '',
  ].join('\n');
}

function report(steps: readonly StepResult[], summary: string, outdir: string): string {
  const count = (step: StepResult, field: keyof UsersCount) => (step.counts ? String(step.counts[field]) : '-');
  const table = renderTable([
    { header: 'Step', align: 'right' }, { header: 'Request' }, { header: 'Network' },
    { header: 'Pending', align: 'right' }, { header: 'Active', align: 'right' }, { header: 'Rejected', align: 'right' },
    { header: 'Remaining', align: 'right' }, { header: 'Total', align: 'right' }, { header: 'Guard' },
    { header: 'Status' }, { header: 'API calls', align: 'right' }, { header: 'As expected' },
  ], steps.map((step) => [
    String(step.step), step.requestType, step.networkId, count(step, 'pending'), count(step, 'active'),
    count(step, 'rejected'), count(step, 'remaining'), count(step, 'total'), step.guard, step.status,
    String(step.apiCalls), step.problems.length === 0 ? 'yes' : 'NO',
  ]));

  const details = steps.flatMap((step) => [
    `${step.step}. ${step.requestType}, ${step.title}:`,
    `   ${step.shown}`,
    ...step.problems.map((problem) => `   NOT AS EXPECTED: ${problem}`),
  ]);
  return [
    '',
    table,
    '',
    ...details,
    '',
    `Handler log: ${relative(process.cwd(), join(outdir, 'handler.log'))}`,
    summary,
    '',
  ].join('\n');
}

function stackArn(): string {
  return `arn:aws:cloudformation:${TARGET.region}:${TARGET.accountId}:stack/${TARGET.stackName}/${randomUUID()}`;
}

if (require.main === module) {
  runDemo()
    .then((result) => {
      process.exitCode = result.ok ? 0 : 1;
    })
    .catch((error: unknown) => {
      const detail = error instanceof Error ? error.stack ?? error.message : String(error);
      process.stderr.write(`The demo could not run: ${detail}\n`);
      process.exitCode = 1;
    });
}
