import { writeSync } from 'node:fs';

/** The line a child prints last, so the parent can find it among the handler's own log lines. */
export const USAGE_MARKER = 'BENCH_USAGE ';

/**
 * Prints the process's peak resident set size when it exits. Written synchronously: on 'exit' the event loop is
 * gone, and an asynchronous write could be lost.
 */
export function reportUsageOnExit(): void {
  process.on('exit', () => {
    writeSync(1, `\n${USAGE_MARKER}${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
  });
}
