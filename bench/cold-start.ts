import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { buildSync } from 'esbuild';
import { OUR_HANDLER } from './bundle-size';
import { USAGE_MARKER } from './children/report-usage';
import { cloudFormationEvent, ResponseReceiver } from '../emulator/cloudformation';
import { DEFAULT_CREDENTIALS, WickrEmulator } from '../emulator/wickr-emulator';

export interface ColdStartSample {
  readonly wallMs: number;
  readonly maxRssKb: number;
}

export interface ColdStartResults {
  readonly handler: readonly ColdStartSample[];
  readonly floor: readonly ColdStartSample[];
}

export interface ColdStartOptions {
  readonly runs: number;
  readonly warmUpRuns: number;
}

const NETWORK_ID = '12345678';
const REGION = 'us-east-1';
const COUNTS = { pending: 3, active: 41, rejected: 2, remaining: 56 };
const EXPECTED_DATA = { Pending: 3, Active: 41, Rejected: 2, Remaining: 56, Total: 44 };
const CHILD_TIMEOUT_MS = 30_000;

const OUT_DIR = path.join(__dirname, 'out');
const HANDLER_RUNNER = path.join(OUT_DIR, 'handler-runner.js');
const FLOOR = path.join(OUT_DIR, 'floor.js');

/**
 * Spawns fresh Node processes in alternating order, so drift in the machine's load touches both sides alike:
 * one answers a CloudFormation Create with the shipped handler, the other makes one bare signed request.
 */
export async function measureColdStart(options: ColdStartOptions): Promise<ColdStartResults> {
  bundleChildren();
  const emulator = await WickrEmulator.start({ networks: { [NETWORK_ID]: COUNTS } });
  const receiver = await ResponseReceiver.start();
  try {
    const env = childEnvironment(emulator.url);
    const runHandler = () => runHandlerOnce(env, emulator, receiver);
    const runFloor = () => runChild(FLOOR, env);

    for (let i = 0; i < options.warmUpRuns; i++) {
      await runHandler();
      await runFloor();
    }

    const handler: ColdStartSample[] = [];
    const floor: ColdStartSample[] = [];
    for (let i = 0; i < options.runs; i++) {
      if (i % 2 === 0) {
        handler.push(await runHandler());
        floor.push(await runFloor());
      } else {
        floor.push(await runFloor());
        handler.push(await runHandler());
      }
    }
    return { handler, floor };
  } finally {
    await receiver.stop();
    await emulator.stop();
  }
}

/** Both children are bundled alike (esbuild, minified, the handler's target), so both load one file the same way. */
function bundleChildren(): void {
  for (const [entry, outfile] of [['floor.ts', FLOOR], ['handler.ts', HANDLER_RUNNER]]) {
    buildSync({
      entryPoints: [path.join(__dirname, 'children', entry)],
      outfile,
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      mainFields: ['module', 'main'],
      legalComments: 'none',
      logLevel: 'warning',
    });
  }
}

/** Only what Lambda would set: the parent's own AWS settings must not leak into either child. */
function childEnvironment(emulatorUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_WICKR: emulatorUrl,
    BENCH_NETWORK_ID: NETWORK_ID,
  };
}

async function runHandlerOnce(env: NodeJS.ProcessEnv, emulator: WickrEmulator, receiver: ResponseReceiver)
  : Promise<ColdStartSample> {
  const requestId = randomUUID();
  const properties = { NetworkId: NETWORK_ID, Region: REGION, TimeoutSeconds: '30' };
  const event = cloudFormationEvent('Create', properties, { responseUrl: receiver.responseUrl(requestId), requestId });
  emulator.clearRequests();
  receiver.clear();

  const childEnv = { ...env, BENCH_HANDLER: OUR_HANDLER, BENCH_EVENT: JSON.stringify(event) };
  const sample = await runChild(HANDLER_RUNNER, childEnv);

  // A run only counts if the handler did the whole job: one read, and the right answer to CloudFormation.
  const answers = receiver.accepted as { Status?: string; RequestId?: string; Data?: unknown }[];
  const answer = answers[0];
  if (answers.length !== 1 || answer.Status !== 'SUCCESS' || answer.RequestId !== requestId
    || !isDeepStrictEqual(answer.Data, EXPECTED_DATA)) {
    throw new Error(`the handler did not answer SUCCESS with the counts once: ${JSON.stringify(answers)}`);
  }
  if (emulator.requests.length !== 1) {
    throw new Error(`the handler made ${emulator.requests.length} requests to Wickr, expected 1`);
  }
  return sample;
}

function runChild(script: string, env: NodeJS.ProcessEnv): Promise<ColdStartSample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let wallMs: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);

    child.on('error', reject);
    child.on('exit', () => { wallMs = Number(process.hrtime.bigint() - started) / 1e6; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const name = path.basename(script);
      if (code !== 0 || wallMs === undefined) {
        reject(new Error(`${name} exited with ${code ?? signal}: ${stderr.trim()}`));
        return;
      }
      const usageLine = stdout.split('\n').find((line) => line.startsWith(USAGE_MARKER));
      if (usageLine === undefined) {
        reject(new Error(`${name} did not report its memory use`));
        return;
      }
      const { maxRssKb } = JSON.parse(usageLine.slice(USAGE_MARKER.length)) as { maxRssKb: number };
      resolve({ wallMs, maxRssKb });
    });
  });
}
