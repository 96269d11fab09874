import { createHash, createHmac, Hash, Hmac } from 'node:crypto';
import { request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { requireEnv, runMeasured } from './child';

/**
 * The floor of the cold-start benchmark: one signed GetUsersCount and nothing else, the least work any
 * implementation must do. node:crypto does the hashing because it is the smallest and fastest choice, which keeps
 * the floor honest.
 */
class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.create();
  }

  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.create();
  }

  private create(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : Buffer.from(this.secret as ArrayBuffer);
    return createHmac('sha256', key);
  }
}

async function main(): Promise<void> {
  const endpoint = new URL(requireEnv('AWS_ENDPOINT_URL_WICKR'));
  const region = requireEnv('AWS_REGION');
  const networkId = requireEnv('BENCH_NETWORK_ID');

  const signer = new SignatureV4({
    service: 'wickr',
    region,
    sha256: NodeSha256,
    credentials: {
      accessKeyId: requireEnv('AWS_ACCESS_KEY_ID'),
      secretAccessKey: requireEnv('AWS_SECRET_ACCESS_KEY'),
      sessionToken: process.env.AWS_SESSION_TOKEN,
    },
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: Number(endpoint.port),
    path: `/networks/${networkId}/users/count`,
    query: {},
    headers: { host: endpoint.host },
  });

  const { status, body } = await send(endpoint, signed.path, signed.headers);
  if (status !== 200) throw new Error(`GetUsersCount answered ${status}: ${body}`);
  JSON.parse(body);
}

function send(endpoint: URL, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: endpoint.hostname, port: endpoint.port, method: 'GET', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

runMeasured(main);
