/**
 * Many instances of one stack deploying at once: CloudFormation creates independent custom resources in
 * parallel, each an invocation of the one shared function, all calling the same Wickr API, which rate-limits them.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { addNetwork, deploy, Deployment, networkIds } from './deployments';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../../emulator/cloudformation';
import { WickrEmulator } from '../../emulator/wickr-emulator';
import { WickrUsersCount } from '../../src';
import { Harness } from '../handler/harness';

export interface TokenBucket {
  /** How many calls may arrive at once. */
  readonly capacity: number;
  /** How many calls per second the bucket lets through once its burst is spent. */
  readonly refillPerSecond: number;
}

/** A rate limit the handler's retries absorb at once: a burst of 10, then 50 calls a second. */
export const ABSORBED: TokenBucket = { capacity: 10, refillPerSecond: 50 };
/** A strict rate limit: a burst of 5, then 5 calls a second serve all 25 in about 4 s, well within a minute. */
export const STRICT: TokenBucket = { capacity: 5, refillPerSecond: 5 };
/**
 * A rate limit that cannot serve 25 within a 5-second timeout: a burst of 5, then 1 call a second let at most 10
 * through before the deadline.
 */
export const OVERWHELMING: TokenBucket = { capacity: 5, refillPerSecond: 1 };
/** The timeout of the instances that meet {@link OVERWHELMING}, the shortest the construct allows. */
export const SHORT_TIMEOUT = Duration.seconds(5);

/** How many instances the stack holds, and the first of their network ids. */
export const INSTANCES = 25;
export const FIRST_NETWORK_ID = 40_000_000;

/**
 * A rate limiter in front of the emulator, as API front ends throttle: a call that finds the bucket empty is
 * answered by the emulator with 429 RateLimitError (a one-time fault for its network, so the emulator's log
 * records it like any other call); every other call goes through untouched, signature and all.
 */
export class TokenBucketFront {
  public static async start(emulator: WickrEmulator, bucket: TokenBucket): Promise<TokenBucketFront> {
    const front = new TokenBucketFront(emulator, bucket);
    await new Promise<void>((resolve, reject) => {
      front.server.once('error', reject);
      front.server.listen(0, '127.0.0.1', () => resolve());
    });
    return front;
  }

  /** Calls the bucket turned away. */
  public throttled = 0;
  private tokens: number;
  private refilledAt = Date.now();
  private readonly server: http.Server;

  private constructor(private readonly emulator: WickrEmulator, private readonly bucket: TokenBucket) {
    this.tokens = bucket.capacity;
    this.server = http.createServer((req, res) => this.forward(req, res));
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeToken(): boolean {
    const now = Date.now();
    const refill = (now - this.refilledAt) * this.bucket.refillPerSecond / 1000;
    this.tokens = Math.min(this.bucket.capacity, this.tokens + refill);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const networkId = /^\/networks\/([^/]+)\//.exec(req.url ?? '')?.[1];
    if (networkId !== undefined && !this.takeToken()) {
      this.throttled += 1;
      this.emulator.injectFault({ kind: 'error', error: 'RateLimitError' }, { networkId, times: 1 });
    }
    // The Host header is passed on as the handler signed it; the emulator checks the signature against it.
    const options = { method: req.method, headers: req.headers };
    const upstream = http.request(`${this.emulator.url}${req.url}`, options, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}

/** One custom resource of the synthesized template, with its properties as CloudFormation hands them over. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly properties: Record<string, string>;
}

/**
 * Synthesizes one stack holding `count` instances, one network each, with the construct's `timeout` (its default
 * when none is given), and returns their custom resources. The service token is left out: the event builder
 * supplies the local function's ARN.
 */
export function customResourcesOfOneStack(
  count: number, firstNetworkId: number, timeout?: Duration,
): TemplateResource[] {
  const app = new App();
  const stack = new Stack(app, 'ManyNetworks', { env: { account: LOCAL_ACCOUNT_ID, region: LOCAL_REGION } });
  for (const networkId of networkIds(firstNetworkId, count)) {
    new WickrUsersCount(stack, `Network${networkId}`, { networkId, minimumRemaining: 1, timeout });
  }
  const resources = app.synth().getStackByName(stack.stackName).template.Resources as Record<string, {
    Type: string; Properties: Record<string, unknown>;
  }>;
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'Custom::WickrUsersCount')
    .map(([logicalId, resource]) => ({
      logicalId,
      properties: Object.fromEntries(Object.entries(resource.Properties)
        .filter(([name]) => name !== 'ServiceToken')
        .map(([name, value]) => [name, String(value)])),
    }));
}

export interface ConcurrentRun {
  readonly bucket: TokenBucket;
  /** The instances' `TimeoutSeconds`. */
  readonly timeoutSeconds: number;
  readonly deployments: readonly Deployment[];
  /** Calls the token bucket turned away. */
  readonly throttled: number;
}

/** Creates every instance of one stack at once, through a token bucket in front of the harness's emulator. */
export async function createAllAtOnce(
  harness: Harness, resources: readonly TemplateResource[], bucket: TokenBucket,
): Promise<ConcurrentRun> {
  harness.reset();
  resources.forEach((resource) => addNetwork(harness, resource.properties.NetworkId));
  const front = await TokenBucketFront.start(harness.emulator, bucket);
  const endpoint = process.env.AWS_ENDPOINT_URL_WICKR;
  process.env.AWS_ENDPOINT_URL_WICKR = front.url;
  try {
    const deployments = await Promise.all(resources.map((resource) => deploy(harness, {
      networkId: resource.properties.NetworkId,
      timeoutSeconds: Number(resource.properties.TimeoutSeconds),
      remainingMs: 120_000,
      properties: resource.properties,
      logicalResourceId: resource.logicalId,
    })));
    const timeoutSeconds = Number(resources[0].properties.TimeoutSeconds);
    return { bucket, timeoutSeconds, deployments, throttled: front.throttled };
  } finally {
    process.env.AWS_ENDPOINT_URL_WICKR = endpoint;
    await front.stop();
  }
}

/** How many deployments needed 1, 2, 3, ... calls. */
export function attemptsDistribution(deployments: readonly Deployment[]): Record<number, number> {
  const distribution: Record<number, number> = {};
  for (const deployment of deployments) {
    distribution[deployment.attempts.length] = (distribution[deployment.attempts.length] ?? 0) + 1;
  }
  return distribution;
}
