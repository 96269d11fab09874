/**
 * A local stand-in for the CloudFormation side of a custom resource: the presigned ResponseURL (an HTTP server
 * on 127.0.0.1 that records each PUT), the events CloudFormation sends, and the Lambda context the handler reads
 * its remaining time from. Used by the handler tests, the demo and the benchmarks.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export type RequestType = 'Create' | 'Update' | 'Delete';

/** The custom resource event as CloudFormation sends it to the function. */
export interface CloudFormationEvent {
  readonly RequestType: RequestType;
  readonly ServiceToken: string;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Readonly<Record<string, unknown>>;
  readonly OldResourceProperties?: Readonly<Record<string, unknown>>;
}

export interface EventOptions {
  /** Where the handler must PUT its answer, e.g. {@link ResponseReceiver.responseUrl}. */
  readonly responseUrl: string;
  /** @default 'WickrUsers' */
  readonly logicalResourceId?: string;
  /** Required by CloudFormation on Update and Delete. @default none */
  readonly physicalResourceId?: string;
  /** @default none */
  readonly oldProperties?: Readonly<Record<string, unknown>>;
  /** @default a stack in us-east-1 of account 111122223333 named local-stack */
  readonly stackId?: string;
  /** @default a random UUID */
  readonly requestId?: string;
}

export const LOCAL_ACCOUNT_ID = '111122223333';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_STACK_ID = `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stack/local-stack/`
  + '00000000-0000-4000-8000-000000000000';
export const LOCAL_FUNCTION_ARN = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:local-wickr-users-count`;

/** An event for `Custom::WickrUsersCount`; `properties` are passed through as given (CloudFormation sends strings). */
export function cloudFormationEvent(
  requestType: RequestType, properties: Readonly<Record<string, unknown>>, options: EventOptions,
): CloudFormationEvent {
  return {
    RequestType: requestType,
    ServiceToken: LOCAL_FUNCTION_ARN,
    ResponseURL: options.responseUrl,
    StackId: options.stackId ?? LOCAL_STACK_ID,
    RequestId: options.requestId ?? randomUUID(),
    ResourceType: 'Custom::WickrUsersCount',
    LogicalResourceId: options.logicalResourceId ?? 'WickrUsers',
    ...(options.physicalResourceId !== undefined ? { PhysicalResourceId: options.physicalResourceId } : {}),
    ResourceProperties: { ServiceToken: LOCAL_FUNCTION_ARN, ...properties },
    ...(options.oldProperties !== undefined
      ? { OldResourceProperties: { ServiceToken: LOCAL_FUNCTION_ARN, ...options.oldProperties } }
      : {}),
  };
}

export interface LocalLambdaContext {
  readonly functionName: string;
  readonly invokedFunctionArn: string;
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** A Lambda context whose remaining time counts down from `remainingMs` like the real one. */
export function lambdaContext(remainingMs: number = 120_000): LocalLambdaContext {
  const endsAt = Date.now() + remainingMs;
  return {
    functionName: 'local-wickr-users-count',
    invokedFunctionArn: LOCAL_FUNCTION_ARN,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
  };
}

/** One PUT the receiver got, and what it answered. */
export interface ReceivedResponse {
  readonly path: string;
  /** The raw query string, e.g. the presigned URL's signature. */
  readonly query: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The status the receiver answered with, or `reset` when it dropped the connection. */
  readonly answeredWith: number | 'reset';
  /** Epoch milliseconds when the whole body had arrived. */
  readonly receivedAt: number;
}

export interface ResponseReceiverOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
}

/** Bodies beyond this are cut off: CloudFormation itself refuses more than 4 KB. */
const MAX_RECORDED_BYTES = 1024 * 1024;

/**
 * Plays the S3 bucket behind CloudFormation's presigned ResponseURL: it accepts PUTs, records them, and can fail
 * the next few to exercise the handler's retries.
 */
export class ResponseReceiver {
  public static async start(options: ResponseReceiverOptions = {}): Promise<ResponseReceiver> {
    const receiver = new ResponseReceiver();
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  /** A fresh value per receiver, standing in for the presigned URL's signature: it must never be logged. */
  public readonly signature = randomBytes(32).toString('hex');
  private readonly received: ReceivedResponse[] = [];
  private readonly failures: (number | 'reset')[] = [];
  private readonly waiters: ((response: ReceivedResponse) => void)[] = [];
  private readonly server: http.Server;

  private constructor() {
    this.server = http.createServer((req, res) => this.onRequest(req, res));
  }

  /** e.g. `http://127.0.0.1:40123` */
  public get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  /** A presigned-looking URL for one request: the path names the request, the query carries the signature. */
  public responseUrl(name: string = randomUUID()): string {
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Date': '20250101T000000Z',
      'X-Amz-Expires': '7200',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': this.signature,
    });
    return `${this.url}/cloudformation-response/${encodeURIComponent(name)}?${query}`;
  }

  /** Every PUT received, failed ones included, in order. */
  public get requests(): readonly ReceivedResponse[] {
    return [...this.received];
  }

  /** The bodies of the PUTs that were accepted (answered 200), parsed. */
  public get accepted(): unknown[] {
    return this.received
      .filter((response) => response.answeredWith === 200)
      .map((response) => JSON.parse(response.body) as unknown);
  }

  /** Answers the next `count` PUTs with `status` (e.g. 503), or drops their connection with `reset`. */
  public failNext(count: number, status: number | 'reset' = 503): void {
    for (let i = 0; i < count; i++) {
      this.failures.push(status);
    }
  }

  /** Resolves with the next accepted PUT, as CloudFormation waits for the answer; rejects after `timeoutMs`. */
  public nextResponse(timeoutMs: number): Promise<ReceivedResponse> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`No response was PUT within ${timeoutMs} ms.`));
      }, timeoutMs);
      const waiter = (response: ReceivedResponse) => {
        clearTimeout(timer);
        resolve(response);
      };
      this.waiters.push(waiter);
    });
  }

  public clear(): void {
    this.received.length = 0;
    this.failures.length = 0;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RECORDED_BYTES) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      const [path, query = ''] = (req.url ?? '/').split('?', 2);
      const failure = req.method === 'PUT' ? this.failures.shift() : 405;
      const answeredWith = failure ?? 200;
      const response: ReceivedResponse = {
        path,
        query,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answeredWith,
        receivedAt: Date.now(),
      };
      this.received.push(response);

      if (answeredWith === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answeredWith, { 'content-length': 0 }).end();
      if (answeredWith === 200) {
        this.waiters.splice(0).forEach((waiter) => waiter(response));
      }
    });
  }
}
