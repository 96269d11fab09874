/**
 * Runs the handler bundle that ships (`assets/handler/index.js`) against the Wickr emulator and a local
 * ResponseURL, the way CloudFormation and Lambda would, and captures what it writes to stdout.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  cloudFormationEvent, CloudFormationEvent, lambdaContext, LocalLambdaContext, RequestType, ResponseReceiver,
} from '../../emulator/cloudformation';
import { DEFAULT_CREDENTIALS, WickrEmulator } from '../../emulator/wickr-emulator';

export const NETWORK_ID = '12345678';
export const REGION = 'us-east-1';
export const PHYSICAL_ID = `WickrUsersCount:${REGION}:${NETWORK_ID}`;
/** What the emulator answers for {@link NETWORK_ID}; total is active + pending. */
export const COUNTS = { pending: 5, active: 40, rejected: 2, remaining: 10, total: 45 };
export const DATA = { Pending: 5, Active: 40, Rejected: 2, Remaining: 10, Total: 45 };
export const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLEsessiontokenForTheHandlerTests';
export const PROPERTIES = { NetworkId: NETWORK_ID, Region: REGION, TimeoutSeconds: '10' };

type Handler = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;

const BUNDLE = join(__dirname, '..', '..', 'assets', 'handler', 'index.js');

function loadBundle(): Handler {
  if (!existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npx projen bundle\` first (these tests run the bundle that ships).`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the tests load the built bundle, not the sources
  return (require(BUNDLE) as { handler: Handler }).handler;
}

const ENVIRONMENT = [
  'AWS_ENDPOINT_URL_WICKR', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
];

export interface InvokeOptions {
  readonly physicalResourceId?: string;
  readonly oldProperties?: Record<string, unknown>;
  /** What the Lambda context reports as remaining. @default 30000 */
  readonly remainingMs?: number;
}

export interface Invocation<E = CloudFormationEvent> {
  readonly event: E;
  /** What the handler returned. */
  readonly result: unknown;
  /** What the handler threw, if it did. */
  readonly error?: Error;
  /** Every line the handler wrote to stdout. */
  readonly lines: string[];
  /** When the fake Lambda context would have reached zero. */
  readonly contextEndsAt: number;
}

export class Harness {
  public static async start(): Promise<Harness> {
    const emulator = await WickrEmulator.start({ networks: { [NETWORK_ID]: COUNTS } });
    const receiver = await ResponseReceiver.start();
    return new Harness(emulator, receiver);
  }

  public readonly handler = loadBundle();
  private readonly savedEnvironment = new Map(ENVIRONMENT.map((name) => [name, process.env[name]]));

  private constructor(public readonly emulator: WickrEmulator, public readonly receiver: ResponseReceiver) {
    delete process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL_WICKR = emulator.url;
    process.env.AWS_ACCESS_KEY_ID = DEFAULT_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = DEFAULT_CREDENTIALS.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = SESSION_TOKEN;
  }

  /** The emulator's host as error messages name it, e.g. `127.0.0.1:40123`. */
  public get apiHost(): string {
    return new URL(this.emulator.url).host;
  }

  /** Forgets faults, requests and responses between tests. */
  public reset(): void {
    this.emulator.clearFaults();
    this.emulator.clearRequests();
    this.emulator.setNetwork(NETWORK_ID, COUNTS);
    this.receiver.clear();
  }

  public async invoke(
    requestType: RequestType, properties: Record<string, unknown>, options: InvokeOptions = {},
  ): Promise<Invocation> {
    const event = cloudFormationEvent(requestType, properties, {
      responseUrl: this.receiver.responseUrl(),
      physicalResourceId: options.physicalResourceId,
      oldProperties: options.oldProperties,
    });
    return this.invokeRaw(event, options.remainingMs);
  }

  /** Invokes with any event, malformed ones included. */
  public async invokeRaw<E>(event: E, remainingMs = 30_000): Promise<Invocation<E>> {
    const context = lambdaContext(remainingMs);
    const contextEndsAt = Date.now() + remainingMs;
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter((line) => line !== ''));
      return true;
    });
    try {
      const result = await this.handler(event, context);
      return { event, result, lines, contextEndsAt };
    } catch (error) {
      return { event, result: undefined, error: error as Error, lines, contextEndsAt };
    } finally {
      spy.mockRestore();
    }
  }

  /** The single body PUT to the ResponseURL, parsed; fails the test when there was not exactly one accepted PUT. */
  public onlyResponse(): unknown {
    const accepted = this.receiver.accepted;
    expect(accepted).toHaveLength(1);
    return accepted[0];
  }

  public async stop(): Promise<void> {
    for (const [name, value] of this.savedEnvironment) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    await Promise.all([this.emulator.stop(), this.receiver.stop()]);
  }
}

/** The JSON log lines (everything but the metrics record), parsed. */
export function logEntries(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => !('_aws' in entry));
}

/** The Embedded Metric Format records among the lines, parsed. */
export function metricRecords(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => '_aws' in entry);
}

/**
 * One harness for a test file: started before the first test, reset before each, stopped after the last.
 * It is returned as a getter because it only exists once `beforeAll` has run.
 */
export function harnessForEachTest(): () => Harness {
  let harness: Harness | undefined;
  const current = (): Harness => {
    if (!harness) throw new Error('the harness is only available inside tests');
    return harness;
  };
  beforeAll(async () => {
    harness = await Harness.start();
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(() => current().reset());
  return current;
}
