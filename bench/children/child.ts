import { reportUsageOnExit } from './report-usage';

/** Runs a child's one job with its memory use reported at exit; a failure is printed and exits with code 1. */
export function runMeasured(job: () => Promise<void>): void {
  reportUsageOnExit();
  job().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

/** The parent passes a child everything through its environment, so a missing variable is the parent's mistake. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}
