import { IncomingHttpHeaders, OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What one request came back with: an answer (`status`), or why none arrived (`error`). */
export interface Exchange {
  readonly status?: number;
  readonly headers?: IncomingHttpHeaders;
  /** Absent when the body was over the limit. */
  readonly body?: string;
  /** The length an answer declared for a body over the limit. */
  readonly declaredBytes?: number;
  /** `timeout`, or the connection error's code. */
  readonly error?: string;
  /** The connection error's own words. */
  readonly message?: string;
}

const CLOSED_EARLY: Exchange = { error: 'ECONNRESET', message: 'the connection closed before the body was complete' };

/**
 * Sends one request on a connection of its own, so that a hung socket is destroyed with its attempt and never
 * reused. Nothing is thrown: every way a request can end is an {@link Exchange}.
 */
export function send(
  url: URL, method: string, headers: OutgoingHttpHeaders, body: string | undefined, timeoutMs: number,
  maxBodyBytes = 65_536,
): Promise<Exchange> {
  return new Promise((resolve) => {
    const finish = (exchange: Exchange) => {
      clearTimeout(timer);
      resolve(exchange);
      req.destroy();
    };
    const failed = (error: Error & { code?: string }) =>
      finish({ error: error.code ?? 'ECONNRESET', message: error.message });

    const transport = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = transport(url, { method, headers, agent: false }, (res) => {
      const answer = { status: res.statusCode, headers: res.headers };
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        // A body over the limit is not read to its end; the length it declared, if any, tells how large it was.
        if ((size += chunk.length) > maxBodyBytes) {
          finish({ ...answer, declaredBytes: Number(res.headers['content-length']) || undefined });
        }
      });
      res.on('end', () => finish({ ...answer, body: Buffer.concat(chunks).toString() }));
      res.on('error', failed);
      res.on('close', () => finish(CLOSED_EARLY));
    });

    const timer = setTimeout(() => finish({ error: 'timeout' }), timeoutMs);
    req.on('error', failed);
    req.end(body);
  });
}
