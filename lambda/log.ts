/**
 * Structured log lines, one JSON object per step. Only the fields below can be logged, which keeps credentials,
 * the presigned ResponseURL's signature and whole events out of the logs by construction.
 */
export interface LogFields {
  readonly requestType?: string;
  readonly logicalResourceId?: string;
  readonly networkId?: string;
  readonly region?: string;
  readonly attempt?: number;
  readonly status?: number | string;
  readonly durationMs?: number;
  readonly errorType?: string;
  readonly error?: string;
  readonly retryInMs?: number;
  /** A URL's origin and path only: a presigned URL's query string is a credential. */
  readonly url?: string;
  readonly reason?: string;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  with(fields: LogFields): Logger;
}

/**
 * Lines go straight to stdout rather than through `console`: Lambda's console prefixes each line with a time and
 * a request id, and an Embedded Metric Format record must be a line of JSON on its own.
 */
export function createLogger(base: LogFields): Logger {
  const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
    writeLine(JSON.stringify({ level, message, ...base, ...fields }));
  };
  return {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    with: (fields) => createLogger({ ...base, ...fields }),
  };
}

export function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

