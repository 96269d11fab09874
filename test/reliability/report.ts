/**
 * Runs the fault suite and the concurrent creates against the shipped handler bundle and writes what it measured
 * to `docs/reliability.md`. Run with `npx ts-node --project test/tsconfig.json test/reliability/report.ts` after
 * `npx projen bundle`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  ABSORBED, attemptsDistribution, ConcurrentRun, createAllAtOnce, customResourcesOfOneStack, FIRST_NETWORK_ID,
  INSTANCES, OVERWHELMING, SHORT_TIMEOUT, STRICT,
} from './concurrency';
import { answeredAfterMs, answeredOnceInTime, Deployment, secretsOf } from './deployments';
import { findLeaks, OutputCapture } from './output';
import { figuresOf, runScenario, ScenarioRun, SCENARIOS } from './scenarios';
import { CFN_LINT_IGNORED_CHECKS, EVERY_FEATURE_STACKS, everyFeatureApp } from '../construct/stacks';
import { Harness } from '../handler/harness';

const REPORT = join(__dirname, '..', '..', 'docs', 'reliability.md');

async function main(): Promise<void> {
  const output = new OutputCapture();
  const harness = await Harness.start();
  try {
    const runs: ScenarioRun[] = [];
    for (const scenario of SCENARIOS) {
      runs.push(await output.during(() => runScenario(harness, scenario)));
    }
    const resources = customResourcesOfOneStack(INSTANCES, FIRST_NETWORK_ID);
    const shortTimeoutResources = customResourcesOfOneStack(INSTANCES, FIRST_NETWORK_ID, SHORT_TIMEOUT);
    const concurrent: ConcurrentRun[] = [];
    for (const [bucket, instances] of [
      [ABSORBED, resources], [STRICT, resources], [OVERWHELMING, shortTimeoutResources],
    ] as const) {
      concurrent.push(await output.during(() => createAllAtOnce(harness, instances, bucket)));
    }

    const everything = [...runs, ...concurrent].flatMap((run) => run.deployments);
    const answers = everything.flatMap((deployment) => deployment.puts.map((put) => put.body));
    const leaks = findLeaks([output.text, ...answers].join('\n'), secretsOf(harness.receiver));

    writeFileSync(REPORT, render(runs, concurrent, {
      deployments: everything.length,
      lines: output.lineCount,
      leaks,
    }, staticChecks()));
    process.stdout.write(`Wrote ${REPORT}\n`);
    const unanswered = everything
      .filter((deployment) => !answeredOnceInTime(deployment) && !refusedOnPurpose(deployment));
    if (leaks.length > 0 || unanswered.length > 0) {
      process.exitCode = 1;
    }
  } finally {
    await harness.stop();
  }
}

/** The one scenario where no answer can be accepted: the ResponseURL refuses every PUT. */
function refusedOnPurpose(deployment: Deployment): boolean {
  return deployment.puts.length > 0 && deployment.puts.every((put) => put.answeredWith === 403);
}

interface LeakCheck {
  readonly deployments: number;
  readonly lines: number;
  readonly leaks: readonly string[];
}

/** cdk-nag's AwsSolutions findings and cfn-lint's problems in the every-feature stacks, one line each. */
function staticChecks(): string[] {
  const app = everyFeatureApp();
  const assembly = app.synth();
  const nag = new AwsSolutionsChecks(app).validateScope(app).violations;
  const lines = [nag.length === 0
    ? `cdk-nag ${packageVersion('cdk-nag')} AwsSolutions: no finding, nothing acknowledged.`
    : `cdk-nag AwsSolutions: ${nag.map((violation) => violation.ruleName).join(', ')}.`];

  const dir = mkdtempSync(join(tmpdir(), 'wickr-reliability-'));
  try {
    for (const [stackName, regions] of Object.entries(EVERY_FEATURE_STACKS)) {
      const file = join(dir, `${stackName}.json`);
      writeFileSync(file, JSON.stringify(assembly.getStackByName(stackName).template));
      const args = ['--format', 'parseable', '--ignore-checks', ...CFN_LINT_IGNORED_CHECKS, '--regions', ...regions];
      const lint = spawnSync('cfn-lint', [...args, '--', file], { encoding: 'utf-8' });
      const problems = (lint.stdout ?? '').split('\n').filter((line) => line !== '' && !/:I\d{4}:/.test(line));
      const rules = [...new Set(problems.map((line) => /:([EW]\d{4}):/.exec(line)?.[1] ?? line))];
      const found = rules.length === 0 ? 'no error or warning' : rules.join(', ');
      lines.push(lint.error
        ? `cfn-lint could not run (${lint.error.message}).`
        : `cfn-lint on ${stackName} for ${regions.join(', ')}: ${found} `
          + `(${CFN_LINT_IGNORED_CHECKS.join(', ')} ignored: aws-cdk-lib orders the function after its role twice).`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

function packageVersion(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed version, for the record
  return (require(`${name}/package.json`) as { version: string }).version;
}

/**
 * How much of their timeout the deployments used: those that failed on throttling alone, or, when none did, the
 * slowest one.
 */
function budgetUsed(deployments: readonly Deployment[]): string {
  const budget = `${((deployments[0].readDeadline - deployments[0].startedAt) / 1000).toFixed(0)} s`;
  const throttledOut = deployments.filter((deployment) => deployment.answers[0]?.Status === 'FAILED'
    && deployment.attempts.every((attempt) => attempt.status === 429));
  if (throttledOut.length === 0) {
    const slowest = Math.max(...deployments.map((deployment) => answeredAfterMs(deployment) ?? Infinity));
    return `no deployment failed on throttling; the slowest answered after ${(slowest / 1000).toFixed(1)} s of its `
      + `${budget} \`TimeoutSeconds\``;
  }
  const took = throttledOut.map((deployment) => answeredAfterMs(deployment) ?? Infinity);
  return `${throttledOut.length} deployments failed on throttling alone, after ${(Math.min(...took) / 1000).toFixed(1)}`
    + ` to ${(Math.max(...took) / 1000).toFixed(1)} s of their ${budget} \`TimeoutSeconds\``;
}

function render(runs: readonly ScenarioRun[], concurrent: readonly ConcurrentRun[], leakCheck: LeakCheck,
  checks: readonly string[]): string {
  const rows = runs.map(({ scenario, deployments }) => {
    const figures = figuresOf(deployments);
    const inTime = deployments.filter(answeredOnceInTime).length;
    const time = scenario.remainingMs === 120_000
      ? `${scenario.timeoutSeconds} s`
      : `${scenario.timeoutSeconds} s, ${scenario.remainingMs / 1000} s left in the function`;
    return `| ${scenario.title} | ${scenario.fault} | ${time} | ${inTime}/${figures.total} | ${outcome(deployments)} `
      + `| ${spread(figures.attempts)} | ${spread(figures.puts)} | ${seconds(figures.answeredAfterMs)} |`;
  });

  const concurrentRows = concurrent.map((run) => {
    const inTime = run.deployments.filter(answeredOnceInTime).length;
    const calls = run.deployments.reduce((sum, deployment) => sum + deployment.attempts.length, 0);
    const distribution = Object.entries(attemptsDistribution(run.deployments))
      .map(([attempts, count]) => `${count}×${attempts}`).join(', ');
    const times = run.deployments.map(answeredAfterMs).filter((ms): ms is number => ms !== undefined);
    return `| burst ${run.bucket.capacity}, then ${run.bucket.refillPerSecond}/s | ${run.timeoutSeconds} s `
      + `| ${inTime}/${run.deployments.length} | ${outcome(run.deployments)} | ${run.throttled} of ${calls} `
      + `| ${distribution} | ${seconds(times)} |`;
  });

  const leakLine = leakCheck.leaks.length === 0
    ? `None: the ${leakCheck.lines} lines written by ${leakCheck.deployments} deployments, and every answer they\n`
      + 'PUT, contain no secret access key, no session token and no part of the presigned ResponseURL\'s query.'
    : `FOUND: ${leakCheck.leaks.join(', ')}.`;
  const notes: string[] = [];
  const storm = runs.find((run) => run.scenario.id === 'storm');
  if (storm) {
    notes.push(`In the throttling storm, ${budgetUsed(storm.deployments)}.`);
  }
  for (const { bucket, deployments } of concurrent) {
    const rate = `${bucket.refillPerSecond} call${bucket.refillPerSecond === 1 ? '' : 's'} a second`;
    notes.push(`With a burst of ${bucket.capacity}, then ${rate}, ${budgetUsed(deployments)}.`);
  }

  return [
    '# Reliability',
    '',
    'This page is written by `test/reliability/report.ts`; do not edit it by hand. Every figure comes from running',
    'the handler bundle that ships (`assets/handler/index.js`) in process against the Wickr emulator',
    '(`emulator/wickr-emulator.ts`) and the local ResponseURL receiver (`emulator/cloudformation.ts`), on a machine',
    `with ${cpus().length} cores. The tests in \`test/reliability/\` run the same scenarios and assert each`,
    'deployment\'s exact outcome; this page reports what one run measured.',
    '',
    'A deployment counts as *answered once, in time* when the ResponseURL accepted exactly one answer, before the',
    'Lambda context\'s remaining time ran out, and no Wickr call started after `TimeoutSeconds`. Calls per',
    'deployment come from the emulator\'s request log; PUTs (refused ones included) from the receiver.',
    '',
    '## Faults',
    '',
    '| Scenario | Fault | `TimeoutSeconds` | Answered once, in time | Outcome | Wickr calls per deployment '
      + '| PUTs per deployment | Answered after, median / max |',
    '|---|---|---|--:|---|---|---|---|',
    ...rows,
    '',
    'Calls and PUTs read `min–max (median)`. The handler retries 429, 500, 502, 503, 504, resets and timeouts for as',
    'long as `TimeoutSeconds` allows (less, when the function has less time left than that plus a reserve to answer),',
    'waiting a random time of up to 100 ms doubled on each retry and capped at 5 s (cut short so that a last call',
    'starts 0.4 s before the deadline), or what `Retry-After` asks. It cuts a call that takes more than a third of',
    'the time, between 1 s and 10 s. It PUTs its answer up to 5 times, retrying 5xx and resets but not 4xx.',
    '',
    '## Many instances at once',
    '',
    `One stack with ${INSTANCES} instances (one network each, \`minimumRemaining: 1\`, the \`timeout\` the table`,
    `shows), synthesized, and all ${INSTANCES} Creates sent at once, as CloudFormation does for independent`,
    'resources. A token bucket in front of the emulator throttles the calls that find it empty with 429',
    'RateLimitError.',
    '',
    '| Rate limit | `TimeoutSeconds` | Answered once, in time | Outcome | Calls throttled | Deployments × calls | '
      + 'Answered after, median / max |',
    '|---|---|--:|---|--:|---|---|',
    ...concurrentRows,
    '',
    '## Retry budget',
    '',
    ...(notes.length > 0 ? notes : ['No deployment failed on throttling alone.']),
    '',
    '## Secrets in the logs',
    '',
    leakLine,
    '',
    '## Static checks of stacks that use every feature',
    '',
    ...checks.map((line) => `- ${line}`),
    '',
    '## Regenerating this page',
    '',
    '```sh',
    'npx projen bundle',
    'npx ts-node --project test/tsconfig.json test/reliability/report.ts',
    '```',
    '',
  ].join('\n');
}

function outcome(deployments: readonly Deployment[]): string {
  const figures = figuresOf(deployments);
  const parts = [
    figures.succeeded > 0 ? `${figures.succeeded} SUCCESS` : '',
    figures.failed > 0 ? `${figures.failed} FAILED` : '',
    figures.threw > 0 ? `${figures.threw} not answered, the invocation failed` : '',
  ];
  return parts.filter((part) => part !== '').join(', ');
}

function spread(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const [min, max] = [sorted[0], sorted[sorted.length - 1]];
  return min === max ? String(min) : `${min}–${max} (${median(sorted)})`;
}

function seconds(ms: readonly number[]): string {
  if (ms.length === 0) {
    return '—';
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return `${(median(sorted) / 1000).toFixed(1)} s / ${(sorted[sorted.length - 1] / 1000).toFixed(1)} s`;
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
