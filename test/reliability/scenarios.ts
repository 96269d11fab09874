/**
 * The fault suite: each scenario deploys the shipped handler several times against the Wickr emulator (or a
 * failing ResponseURL) and keeps what happened, for the tests to check and for `report.ts` to publish.
 */
import { addNetwork, answeredAfterMs, deploy, Deployment, networkIds } from './deployments';
import { COUNTS, Harness } from '../handler/harness';

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** The fault, as the report describes it. */
  readonly fault: string;
  readonly deployments: number;
  /** The custom resource's `TimeoutSeconds`. */
  readonly timeoutSeconds: number;
  /** The function's remaining time when the handler starts; Lambda's own is 120 s. */
  readonly remainingMs: number;
  /**
   * The deployments draw from one shared queue (the receiver's failures), so they run one after another to draw in
   * the same order on every run.
   */
  readonly oneAfterAnother?: boolean;
  /** Injects the faults one deployment meets; scoped to its network when the deployments run at once. */
  arrange(harness: Harness, networkId: string, index: number): void;
}

/** The storm's share of throttled calls and the seed of the emulator's random draws (its default). */
export const STORM_PROBABILITY = 0.8;
export const EMULATOR_SEED = 1;

/** A users count padded past 1 MB: valid JSON, far over the handler's 64 KiB limit. */
export const OVERSIZED_BODY = JSON.stringify({ ...COUNTS, padding: 'x'.repeat(1_100_000) });

const COUNTS_JSON = JSON.stringify(COUNTS);

/** 200 answers whose body is not a users count. */
export const WRONG_TYPE_BODIES: readonly (readonly [string, string])[] = [
  ['a count as a string', COUNTS_JSON.replace('"active":40', '"active":"40"')],
  ['a negative count', COUNTS_JSON.replace('"pending":5', '"pending":-5')],
  ['a fractional count', COUNTS_JSON.replace('"remaining":10', '"remaining":10.5')],
  ['a null count', COUNTS_JSON.replace('"rejected":2', '"rejected":null')],
  ['a count past 2^53', COUNTS_JSON.replace('"total":45', '"total":9007199254740993')],
  ['a missing count', JSON.stringify({ pending: 5, active: 40, rejected: 2, remaining: 10 })],
  ['an array', '[5,40,2,10,45]'],
  ['not JSON', '<html>oops</html>'],
];

const SERVER_ERRORS = [
  (harness: Harness, networkId: string) => harness.emulator.injectFault(
    { kind: 'error', error: 'InternalServerError' }, { networkId, times: 1 }),
  (harness: Harness, networkId: string) => harness.emulator.injectFault(
    { kind: 'status', status: 502, body: '<html><body>Bad Gateway</body></html>' }, { networkId, times: 1 }),
  (harness: Harness, networkId: string) => harness.emulator.injectFault(
    { kind: 'status', status: 503 }, { networkId, times: 1 }),
  (harness: Harness, networkId: string) => harness.emulator.injectFault(
    { kind: 'status', status: 504, body: 'Gateway Timeout' }, { networkId, times: 1 }),
];

/** A burst of `1 + index % 5` faults: deployments 4 and 9 meet 5 in a row and read the counts on their sixth call. */
export function burstLength(index: number): number {
  return 1 + (index % 5);
}

/** How many of its first PUTs the ResponseURL fails: 1 to 4, within the handler's 5 attempts to answer. */
export function refusedPuts(index: number): number {
  return 1 + (index % 4);
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'storm',
    title: 'Throttling storm',
    fault: `${STORM_PROBABILITY * 100}% of all calls answer 429 RateLimitError (seeded draws, seed ${EMULATOR_SEED}), `
      + 'all deployments at once',
    deployments: 20,
    timeoutSeconds: 60,
    remainingMs: 120_000,
    // At once, the storm lasts as long as its unluckiest deployment, not as long as all of them together; which
    // deployment meets which draw then varies from run to run.
    arrange: (harness, _networkId, index) => {
      if (index === 0) {
        harness.emulator.injectFault({ kind: 'error', error: 'RateLimitError' }, { probability: STORM_PROBABILITY });
      }
    },
  },
  {
    id: 'server-errors',
    title: '5xx bursts',
    fault: 'the first 1 to 5 calls of each deployment answer 500, 502, 503, 504 in turn',
    deployments: 10,
    timeoutSeconds: 60,
    remainingMs: 120_000,
    arrange: (harness, networkId, index) => {
      for (let i = 0; i < burstLength(index); i++) {
        SERVER_ERRORS[i % SERVER_ERRORS.length](harness, networkId);
      }
    },
  },
  {
    id: 'resets',
    title: 'Connection resets',
    fault: 'the first 1 to 5 calls of each deployment have their connection reset without an answer',
    deployments: 10,
    timeoutSeconds: 60,
    remainingMs: 120_000,
    arrange: (harness, networkId, index) => {
      harness.emulator.injectFault({ kind: 'reset' }, { networkId, times: burstLength(index) });
    },
  },
  {
    id: 'server-errors-always',
    title: '5xx, every call',
    fault: 'every call answers 503',
    deployments: 4,
    timeoutSeconds: 5,
    remainingMs: 120_000,
    arrange: (harness, networkId) => {
      harness.emulator.injectFault({ kind: 'status', status: 503 }, { networkId });
    },
  },
  {
    id: 'resets-always',
    title: 'Connection resets, every call',
    fault: 'every call has its connection reset without an answer',
    deployments: 4,
    timeoutSeconds: 5,
    remainingMs: 120_000,
    arrange: (harness, networkId) => {
      harness.emulator.injectFault({ kind: 'reset' }, { networkId });
    },
  },
  {
    id: 'hang-once',
    title: 'Hung connection, once',
    fault: 'the first call is accepted and never answered',
    deployments: 4,
    timeoutSeconds: 5,
    remainingMs: 120_000,
    arrange: (harness, networkId) => {
      harness.emulator.injectFault({ kind: 'hang' }, { networkId, times: 1 });
    },
  },
  {
    id: 'hang-always',
    title: 'Hung connection, every call',
    fault: 'every call is accepted and never answered',
    deployments: 4,
    timeoutSeconds: 5,
    remainingMs: 120_000,
    arrange: (harness, networkId) => {
      harness.emulator.injectFault({ kind: 'hang' }, { networkId });
    },
  },
  {
    id: 'hang-short-function',
    title: 'Hung connection, function time shorter than the timeout',
    fault: 'every call hangs; `TimeoutSeconds` 100 but only 8 s of function time left',
    deployments: 2,
    timeoutSeconds: 100,
    remainingMs: 8_000,
    arrange: (harness, networkId) => {
      harness.emulator.injectFault({ kind: 'hang' }, { networkId });
    },
  },
  {
    id: 'trickle',
    title: 'Slow trickling body',
    fault: 'the 200 body arrives 8 bytes every 100 ms',
    deployments: 4,
    timeoutSeconds: 5,
    remainingMs: 120_000,
    arrange: (harness, networkId) => {
      harness.emulator.injectFault({ kind: 'trickle', chunkBytes: 8, intervalMs: 100 }, { networkId });
    },
  },
  {
    id: 'trickle-stalled',
    title: 'Trickling body slower than an attempt',
    fault: 'the 200 body arrives 1 byte every 100 ms',
    deployments: 4,
    timeoutSeconds: 5,
    remainingMs: 120_000,
    arrange: (harness, networkId) => {
      harness.emulator.injectFault({ kind: 'trickle', chunkBytes: 1, intervalMs: 100 }, { networkId });
    },
  },
  {
    id: 'oversized',
    title: 'Body over 1 MB',
    fault: `a 200 whose body is a valid users count padded to ${OVERSIZED_BODY.length} bytes`,
    deployments: 4,
    timeoutSeconds: 60,
    remainingMs: 120_000,
    arrange: (harness, networkId) => {
      harness.emulator.injectFault({ kind: 'body', body: OVERSIZED_BODY }, { networkId });
    },
  },
  {
    id: 'wrong-types',
    title: 'Wrong types',
    fault: `a 200 with ${WRONG_TYPE_BODIES.map(([what]) => what).join(', ')}`,
    deployments: WRONG_TYPE_BODIES.length,
    timeoutSeconds: 60,
    remainingMs: 120_000,
    arrange: (harness, networkId, index) => {
      harness.emulator.injectFault({ kind: 'body', body: WRONG_TYPE_BODIES[index][1] }, { networkId });
    },
  },
  {
    id: 'response-url-transient',
    title: 'ResponseURL failing transiently',
    fault: 'the first 1 to 4 PUTs of each answer get 503 or a reset connection, in turn',
    deployments: 8,
    timeoutSeconds: 60,
    remainingMs: 120_000,
    oneAfterAnother: true,
    arrange: (harness, _networkId, index) => {
      harness.receiver.failNext(refusedPuts(index), index % 2 === 0 ? 503 : 'reset');
    },
  },
  {
    id: 'response-url-refused',
    title: 'ResponseURL refused',
    fault: 'the PUT gets 403, as an expired presigned URL does',
    deployments: 2,
    timeoutSeconds: 60,
    remainingMs: 120_000,
    oneAfterAnother: true,
    arrange: (harness) => {
      harness.receiver.failNext(1, 403);
    },
  },
];

export interface ScenarioRun {
  readonly scenario: Scenario;
  readonly deployments: readonly Deployment[];
}

/** Network ids of the fault suite start here, one block of 100 per scenario. */
const FIRST_NETWORK_ID = 30_000_000;

/** Runs every deployment of a scenario on a clean emulator and receiver. */
export async function runScenario(harness: Harness, scenario: Scenario): Promise<ScenarioRun> {
  harness.reset();
  const first = FIRST_NETWORK_ID + 100 * SCENARIOS.indexOf(scenario);
  const ids = networkIds(first, scenario.deployments);
  ids.forEach((networkId) => addNetwork(harness, networkId));

  const one = (networkId: string, index: number): Promise<Deployment> => {
    scenario.arrange(harness, networkId, index);
    return deploy(harness, {
      networkId,
      timeoutSeconds: scenario.timeoutSeconds,
      remainingMs: scenario.remainingMs,
    });
  };

  const deployments: Deployment[] = [];
  if (scenario.oneAfterAnother) {
    for (const [index, networkId] of ids.entries()) {
      deployments.push(await one(networkId, index));
    }
  } else {
    deployments.push(...await Promise.all(ids.map(one)));
  }
  return { scenario, deployments };
}

export interface Figures {
  readonly total: number;
  /** Deployments whose ResponseURL accepted exactly one answer. */
  readonly answeredOnce: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Wickr calls per deployment, from the emulator's log. */
  readonly attempts: readonly number[];
  /** PUTs per deployment, refused ones included, from the receiver. */
  readonly puts: readonly number[];
  /** From the invocation to the accepted answer, per answered deployment. */
  readonly answeredAfterMs: readonly number[];
  /** Deployments whose handler rejected instead of resolving. */
  readonly threw: number;
}

export function figuresOf(deployments: readonly Deployment[]): Figures {
  const times = deployments.map(answeredAfterMs).filter((ms): ms is number => ms !== undefined);
  return {
    total: deployments.length,
    answeredOnce: deployments.filter((deployment) => deployment.answers.length === 1).length,
    succeeded: deployments.filter((deployment) => deployment.answers[0]?.Status === 'SUCCESS').length,
    failed: deployments.filter((deployment) => deployment.answers[0]?.Status === 'FAILED').length,
    attempts: deployments.map((deployment) => deployment.attempts.length),
    puts: deployments.map((deployment) => deployment.puts.length),
    answeredAfterMs: times,
    threw: deployments.filter((deployment) => deployment.threw !== undefined).length,
  };
}
