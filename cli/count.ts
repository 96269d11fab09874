import { CountCommand } from './args';
import { ConfigurationError, loadCredentials } from './credentials';
import { describeRegionSearch, resolveRegion } from './region';
import { Environment } from './shared-config';
import { renderTable } from './table';
import { EXIT } from './usage';
import { getUsersCount } from '../lambda/wickr/client';
import { UsersCount } from '../lambda/wickr/counts';
import { isRegion } from '../lambda/wickr/endpoint';
import { WickrError } from '../lambda/wickr/errors';
import { evaluateGuard, GuardMode, hasConditions } from '../lambda/wickr/guard';
import { metricValues } from '../lambda/wickr/metrics';

export interface Output {
  write(text: string): void;
}

export interface CountIo {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Environment;
}

/** What the tool read and concluded; `--json` prints exactly this. */
export interface CountReport {
  readonly networkId: string;
  readonly region: string;
  readonly counts: UsersCount;
  readonly guard?: {
    readonly mode: GuardMode;
    readonly passed: boolean;
    readonly message: string;
  };
}

/**
 * Who a failed condition's sentence says requires it. The handler names the stack; at a terminal, the person's
 * own check is what holds the conditions.
 */
const REQUIRED_BY = 'this check';

export async function runCount(command: CountCommand, io: CountIo): Promise<number> {
  let report: CountReport;
  try {
    report = await read(command, io.env);
  } catch (error) {
    if (error instanceof ConfigurationError || (error instanceof WickrError && error.kind === 'configuration')) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT.CONFIGURATION;
    }
    if (error instanceof WickrError) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT.API;
    }
    throw error;
  }

  io.stdout.write(command.json ? `${JSON.stringify(report, undefined, 2)}\n` : formatReport(report));
  const guard = report.guard;
  if (!guard || guard.passed) {
    return EXIT.OK;
  }
  if (guard.mode === 'WARN') {
    io.stderr.write(`warning: ${guard.message}\n`);
    return EXIT.OK;
  }
  io.stderr.write(`error: ${guard.message}\n`);
  return EXIT.GUARD_FAILED;
}

async function read(command: CountCommand, env: Environment): Promise<CountReport> {
  const resolved = resolveRegion(env, command.region, command.profile);
  if (!resolved) {
    throw new ConfigurationError(describeRegionSearch(env, command.profile));
  }
  if (!isRegion(resolved.region)) {
    const got = JSON.stringify(resolved.region);
    throw new ConfigurationError(`The region from ${resolved.source} must look like "us-east-1", got ${got}.`);
  }
  const region = resolved.region;
  const credentials = await loadCredentials(env, command.profile);

  const counts = await getUsersCount({
    networkId: command.networkId,
    region,
    credentials,
    deadline: Date.now() + command.timeoutSeconds * 1000,
    endpoint: command.endpointUrl,
    useFips: command.useFips,
    useDualStack: command.useDualStack,
    env,
  });

  const report = { networkId: command.networkId, region, counts };
  if (!hasConditions(command.conditions)) {
    return report;
  }
  const verdict = evaluateGuard(counts, command.conditions, { ...report, requiredBy: REQUIRED_BY });
  return {
    ...report,
    guard: { mode: command.warnOnly ? 'WARN' : 'ENFORCE', passed: verdict.passed, message: verdict.message },
  };
}

/**
 * The table a person reads: the network, one row per count in the API's order under the names the construct's
 * metrics and `Data` use, then the guard's verdict if any.
 */
export function formatReport(report: CountReport): string {
  const table = renderTable(
    [{ header: 'Count' }, { header: 'Users', align: 'right' }],
    Object.entries(metricValues(report.counts)).map(([name, value]) => [name, String(value)]),
  );
  const lines = [`Wickr network ${report.networkId} (${report.region})`, '', table];
  // A failed condition's sentence goes to stderr, next to the exit code it explains.
  if (report.guard) {
    lines.push('', `Guard (${report.guard.mode}): ${report.guard.passed ? 'passed' : 'failed'}`);
    if (report.guard.passed) {
      lines.push(report.guard.message);
    }
  }
  return `${lines.join('\n')}\n`;
}
