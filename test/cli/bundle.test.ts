import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { emptyHome, emulatorEnv } from './support';

/** The file npm installs as the `cdk-wickr-users-count` command. */
const BUNDLE = join(__dirname, '..', '..', 'assets', 'cli', 'index.js');

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the shipped bundle with exactly `env` (plus PATH, so `node` resolves the same way). */
function runBundle(argv: readonly string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BUNDLE, ...argv], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number | null) ?? null : 0, stdout, stderr }));
  });
}

let home: ReturnType<typeof emptyHome>;

beforeAll(() => {
  if (!existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing; run "npx projen bundle" first`);
  }
  home = emptyHome();
});

afterAll(() => {
  home?.remove();
});

test('the bundle starts with a shebang and is executable', () => {
  // GIVEN / WHEN / THEN
  expect(readFileSync(BUNDLE, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  expect(statSync(BUNDLE).mode.toString(8).slice(-3)).toMatch(/^[75][75][75]$/);
});

test('the handler\'s sources import neither the tool nor the SDK credential chain', () => {
  // GIVEN every TypeScript file under lambda/
  const root = join(__dirname, '..', '..', 'lambda');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));

  // WHEN their imports are collected
  const imports = files.flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/from '([^']+)'/g)]
    .map((match) => `${file}: ${match[1]}`));

  // THEN the handler's bundle cannot grow with the tool's needs
  expect(imports.length).toBeGreaterThan(0);
  expect(imports.filter((line) => /\/cli\/|@aws-sdk\/credential-provider/.test(line))).toEqual([]);
});

test('the bundle prints the package version', async () => {
  // GIVEN the package's version
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

  // WHEN / THEN
  expect(await runBundle(['--version'], {})).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

test('the bundle fails with exit 2 on a bad network id', async () => {
  // GIVEN / WHEN
  const run = await runBundle(['--network-id', '123'], {});

  // THEN
  expect(run).toEqual({
    code: 2,
    stdout: '',
    stderr: 'error: --network-id must be 8 digits, got "123"\n'
      + 'Usage: cdk-wickr-users-count [count] --network-id ID [options]\n'
      + 'Run "cdk-wickr-users-count --help" for every option.\n',
  });
});

test('the bundle fails with exit 4 when the environment is empty and HOME holds no AWS files', async () => {
  // GIVEN nothing but an empty home (and instance metadata off, so a cloud machine's role is never used)
  // WHEN
  const run = await runBundle(['--network-id', '12345678', '--region', 'us-east-1'], {
    HOME: home.path, AWS_EC2_METADATA_DISABLED: 'true',
  });

  // THEN
  expect(run.code).toBe(4);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe('error: No AWS credentials found. Looked in the environment variables AWS_ACCESS_KEY_ID and '
    + `AWS_SECRET_ACCESS_KEY; profile "default" in ${home.path}/.aws/credentials and ${home.path}/.aws/config `
    + '(keys, SSO, credential_process, role_arn); a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE); '
    + 'container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI); '
    + 'EC2 instance metadata (skipped: AWS_EC2_METADATA_DISABLED is true). '
    + 'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose a configured profile with --profile or '
    + 'AWS_PROFILE.\n');
});

describe('the bundled emulator, queried by the bundled tool', () => {
  let child: ChildProcess;
  let output = '';
  let url: string;

  beforeAll(async () => {
    child = spawn(process.execPath, [
      BUNDLE, 'emulator', '--port', '0', '--network', '11112222:active=7,pending=2,rejected=1,remaining=3',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });

    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the emulator printed no URL in 20 s: ${output}`)), 20_000);
      const look = () => {
        const match = /^Wickr emulator listening on (http:\/\/\S+)$/m.exec(output);
        if (match) {
          clearTimeout(timer);
          child.stdout!.off('data', look);
          resolve(match[1]);
        }
      };
      child.stdout!.on('data', look);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the emulator exited with ${code}: ${output}`));
      });
    });
  });

  afterAll(() => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  });

  test('reads the seeded counts', async () => {
    // GIVEN the running emulator
    // WHEN the bundled tool reads its network as JSON
    const run = await runBundle(['--network-id', '11112222', '--json'], emulatorEnv(home.path, url));

    // THEN
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      networkId: '11112222',
      region: 'us-east-1',
      counts: { pending: 2, active: 7, rejected: 1, remaining: 3, total: 9 },
    });
  });

  test('fails with exit 1 when a condition fails', async () => {
    // GIVEN 3 users remaining
    // WHEN at least 5 are required
    const run = await runBundle(['--network-id', '11112222', '--min-remaining', '5'], emulatorEnv(home.path, url));

    // THEN
    expect(run.code).toBe(1);
    expect(run.stderr)
      .toBe('error: Wickr network 11112222 (us-east-1) has 3 users remaining; this check requires at least 5.\n');
  });

  test('stops with exit 0 on SIGTERM', async () => {
    // GIVEN the running emulator
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    // WHEN
    child.kill('SIGTERM');

    // THEN
    expect(await exited).toBe(0);
    expect(output.endsWith('Press Ctrl+C to stop.\nWickr emulator stopped.\n')).toBe(true);
  });
});
