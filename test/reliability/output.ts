/**
 * Captures everything written to stdout and stderr, directly or through `console`, while deployments run, so a
 * test can check afterwards that no credential reached the logs.
 */

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

type Write = typeof process.stdout.write;

/** What was written while a capture was on. Captures nest: the outermost one restores the streams. */
export class OutputCapture {
  private chunks: string[] = [];
  private depth = 0;
  private restore: (() => void) | undefined;

  /** Everything captured so far, in the order it was written. */
  public get text(): string {
    return this.chunks.join('');
  }

  /** How many lines were captured: a test that captured nothing proves nothing. */
  public get lineCount(): number {
    return this.text.split('\n').filter((line) => line !== '').length;
  }

  /** Runs `action` with the streams captured; the output is kept, not printed. */
  public async during<T>(action: () => Promise<T>): Promise<T> {
    this.start();
    try {
      return await action();
    } finally {
      this.stop();
    }
  }

  private start(): void {
    this.depth += 1;
    if (this.depth > 1) {
      return;
    }
    const record = (chunk: unknown): void => {
      this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    };
    const swallow = ((chunk: unknown, ...rest: unknown[]) => {
      record(chunk);
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as Write;

    const stdoutWrite = process.stdout.write;
    const stderrWrite = process.stderr.write;
    const consoleMethods = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
    process.stdout.write = swallow;
    process.stderr.write = swallow;
    for (const name of CONSOLE_METHODS) {
      console[name] = (...args: unknown[]) => record(`${args.map(String).join(' ')}\n`);
    }
    this.restore = () => {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      for (const [name, method] of consoleMethods) {
        console[name] = method;
      }
    };
  }

  private stop(): void {
    this.depth -= 1;
    if (this.depth === 0) {
      this.restore?.();
      this.restore = undefined;
    }
  }
}

/** A value that must never be logged, and what to call it in a failure message. */
export interface Secret {
  readonly name: string;
  readonly value: string;
}

/**
 * The query parameters of a presigned URL: even without their values, their names in a log mean a whole URL
 * was printed.
 */
export const PRESIGNED_QUERY_NAMES = ['X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token'];

/**
 * Names every secret that occurs in `text`, as written or URL-encoded (a presigned URL carries its credential
 * encoded), and every presigned query parameter name.
 */
export function findLeaks(text: string, secrets: readonly Secret[]): string[] {
  const lower = text.toLowerCase();
  const leaks = secrets
    .filter((secret) => secret.value !== '')
    .filter((secret) => text.includes(secret.value) || text.includes(encodeURIComponent(secret.value)))
    .map((secret) => secret.name);
  const names = PRESIGNED_QUERY_NAMES.filter((name) => lower.includes(name.toLowerCase()));
  return [...leaks, ...names];
}
