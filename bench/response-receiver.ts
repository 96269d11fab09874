import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** The answer a custom resource handler PUTs to its presigned ResponseURL. */
export interface CloudFormationResponse {
  readonly Status?: string;
  readonly Reason?: string;
  readonly PhysicalResourceId?: string;
  readonly Data?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Stands in for the S3 presigned URL CloudFormation hands a custom resource, on 127.0.0.1 only. */
export class ResponseReceiver {
  static async start(): Promise<ResponseReceiver> {
    const receiver = new ResponseReceiver();
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(0, '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  private readonly responses = new Map<string, CloudFormationResponse>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => this.receive(req, res));
  }

  urlFor(requestId: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/responses/${requestId}?X-Amz-Signature=bench`;
  }

  /** Returns the answer for one request and forgets it, so a long run does not pile them up. */
  take(requestId: string): CloudFormationResponse | undefined {
    const response = this.responses.get(requestId);
    this.responses.delete(requestId);
    return response;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const requestId = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.split('/').pop() ?? '';
      let status = 200;
      if (req.method !== 'PUT') {
        res.writeHead(405).end();
        return;
      }
      try {
        this.responses.set(requestId, JSON.parse(Buffer.concat(chunks).toString('utf8')) as CloudFormationResponse);
      } catch {
        status = 400;
      }
      res.writeHead(status).end();
    });
  }
}
