import { request } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignOptions {
  credentials: SigningCredentials;
  method?: string;
  region?: string;
  service?: string;
  signingDate?: Date;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** How many pieces the body arrived in. */
  pieces: number;
}

/** Headers that sign `method baseUrl+path` with SigV4 the way AWS SDKs do, for a request with no body. */
export async function signedHeaders(baseUrl: string, path: string,
  options: SignOptions): Promise<Record<string, string>> {
  const url = new URL(baseUrl);
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'wickr',
    sha256: Sha256,
  });
  const signed = await signer.sign(new HttpRequest({
    method: options.method ?? 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path,
    headers: { host: url.host },
  }), { signingDate: options.signingDate });
  return signed.headers;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Called when the status and headers have arrived, before the body. */
  onHeaders?: () => void;
}

/** Sends one request and collects the whole reply; rejects on a socket error or after `timeoutMs`. */
export function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, baseUrl);
    const req = request(target, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      options.onHeaders?.();
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode!,
        headers: res.headers,
        body: Buffer.concat(chunks).toString(),
        pieces: chunks.length,
      }));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
    });
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error('client timeout')));
    }
    req.on('error', reject);
    req.end();
  });
}

/** Signs and sends a request with no body; the usual way tests talk to the emulator. */
export async function signedGet(baseUrl: string, path: string,
  options: SignOptions & Omit<SendOptions, 'headers'>): Promise<Reply> {
  const headers = await signedHeaders(baseUrl, path, options);
  return send(baseUrl, path, { ...options, headers });
}
