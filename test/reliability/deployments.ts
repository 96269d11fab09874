/**
 * One deployment, as CloudFormation and Lambda run it: the shipped handler bundle gets a Create event whose
 * ResponseURL looks like a real presigned S3 URL, reads the counts from the Wickr emulator, and PUTs its answer to
 * the local receiver. What the handler did is read back from the emulator's request log and the receiver.
 */
import { randomUUID } from 'node:crypto';
import { Secret } from './output';
import {
  cloudFormationEvent, CloudFormationEvent, lambdaContext, ReceivedResponse, RequestType, ResponseReceiver,
} from '../../emulator/cloudformation';
import { DEFAULT_CREDENTIALS, RecordedRequest } from '../../emulator/wickr-emulator';
import { COUNTS, Harness, REGION, SESSION_TOKEN } from '../handler/harness';

/** Besides its signature, a presigned ResponseURL carries the signer's credential scope and session token. */
const PRESIGNED_CREDENTIAL = 'ASIAPRESIGNEDEXAMPLE/20250101/us-east-1/s3/aws4_request';
const PRESIGNED_SECURITY_TOKEN = 'IQoJb3JpZ2luX2VjEPresignedResponseUrlSessionTokenExample';
const RESPONSE_PATH = '/cloudformation-response/';

/** A ResponseURL shaped like the one CloudFormation hands a custom resource, pointing at the local receiver. */
export function presignedUrl(receiver: ResponseReceiver, name: string): string {
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': PRESIGNED_CREDENTIAL,
    'X-Amz-Date': '20250101T000000Z',
    'X-Amz-Expires': '7200',
    'X-Amz-Security-Token': PRESIGNED_SECURITY_TOKEN,
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': receiver.signature,
  });
  return `${receiver.url}${RESPONSE_PATH}${encodeURIComponent(name)}?${query}`;
}

/** Every value of a deployment that must stay out of the logs and out of the answer CloudFormation shows. */
export function secretsOf(receiver: ResponseReceiver): Secret[] {
  return [
    { name: 'the secret access key', value: DEFAULT_CREDENTIALS.secretAccessKey },
    { name: 'the session token', value: SESSION_TOKEN },
    { name: 'the ResponseURL signature', value: receiver.signature },
    { name: 'the ResponseURL credential', value: PRESIGNED_CREDENTIAL },
    { name: 'the ResponseURL security token', value: PRESIGNED_SECURITY_TOKEN },
  ];
}

/** The body a handler PUTs to the ResponseURL. */
export interface Answer {
  readonly Status: string;
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, unknown>;
}

export interface DeploymentOptions {
  /** A network of its own, so that the emulator's log and faults can be told apart per deployment. */
  readonly networkId: string;
  readonly timeoutSeconds: number;
  /** What the Lambda context reports as remaining when the handler starts. */
  readonly remainingMs: number;
  /** @default 'Create' */
  readonly requestType?: RequestType;
  /** Merged over the network, region and timeout. */
  readonly properties?: Record<string, unknown>;
  /** @default `Users${networkId}` */
  readonly logicalResourceId?: string;
}

export interface Deployment {
  readonly networkId: string;
  readonly event: CloudFormationEvent;
  readonly startedAt: number;
  /** When `TimeoutSeconds` ran out: no Wickr call may start later. */
  readonly readDeadline: number;
  /** When Lambda would have stopped the function: the answer must have arrived by then. */
  readonly contextEndsAt: number;
  /** What the handler returned, or `threw` when it rejected. */
  readonly returned: unknown;
  readonly threw?: unknown;
  /** Every PUT to this deployment's ResponseURL, refused ones included. */
  readonly puts: readonly ReceivedResponse[];
  /** The PUTs the receiver accepted, parsed. CloudFormation takes the first; there must be exactly one. */
  readonly answers: readonly Answer[];
  /** The Wickr calls the emulator received for this deployment's network. */
  readonly attempts: readonly RecordedRequest[];
}

/** Registers a network with the harness's counts, ready for a deployment of its own. */
export function addNetwork(harness: Harness, networkId: string): void {
  harness.emulator.setNetwork(networkId, COUNTS);
}

/** Runs one Create (by default) through the bundled handler and collects what it did. */
export async function deploy(harness: Harness, options: DeploymentOptions): Promise<Deployment> {
  const name = `${options.networkId}-${randomUUID()}`;
  const event = cloudFormationEvent(options.requestType ?? 'Create', {
    NetworkId: options.networkId,
    Region: REGION,
    TimeoutSeconds: String(options.timeoutSeconds),
    ...options.properties,
  }, {
    responseUrl: presignedUrl(harness.receiver, name),
    logicalResourceId: options.logicalResourceId ?? `Users${options.networkId}`,
  });

  const startedAt = Date.now();
  const context = lambdaContext(options.remainingMs);
  let returned: unknown;
  let threw: unknown;
  try {
    returned = await harness.handler(event, context);
  } catch (error) {
    threw = error ?? new Error('the handler rejected with nothing');
  }

  const path = `${RESPONSE_PATH}${encodeURIComponent(name)}`;
  const puts = harness.receiver.requests.filter((put) => put.path === path);
  return {
    networkId: options.networkId,
    event,
    startedAt,
    readDeadline: startedAt + options.timeoutSeconds * 1000,
    contextEndsAt: startedAt + options.remainingMs,
    returned,
    threw,
    puts,
    answers: puts.filter((put) => put.answeredWith === 200).map((put) => JSON.parse(put.body) as Answer),
    attempts: harness.emulator.requests.filter((request) => request.networkId === options.networkId),
  };
}

/** How long CloudFormation waited for the answer: from the invocation to the accepted PUT. */
export function answeredAfterMs(deployment: Deployment): number | undefined {
  const accepted = deployment.puts.find((put) => put.answeredWith === 200);
  return accepted === undefined ? undefined : accepted.receivedAt - deployment.startedAt;
}

/**
 * Whether CloudFormation got exactly one answer, before the function would have been stopped, with no Wickr call
 * started after `TimeoutSeconds`.
 */
export function answeredOnceInTime(deployment: Deployment): boolean {
  const accepted = deployment.puts.filter((put) => put.answeredWith === 200);
  return accepted.length === 1
    && accepted[0].receivedAt <= deployment.contextEndsAt
    && deployment.attempts.every((attempt) => attempt.receivedAt <= deployment.readDeadline);
}

/** Distinct 8-digit network ids, one per deployment, that no other scenario uses. */
export function networkIds(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => String(first + index).padStart(8, '0'));
}
