import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, MainIo } from '../../cli/main';
import { DEFAULT_CREDENTIALS } from '../../emulator/wickr-emulator';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the tool in process with exactly `env` as its environment and collects what it printed. */
export async function runMain(argv: readonly string[], env: MainIo['env'], stop?: AbortSignal): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text) => { stdout += text; } },
    stderr: { write: (text) => { stderr += text; } },
    env,
    stop,
  });
  return { code, stdout, stderr };
}

/**
 * A home directory with no AWS files, so nothing from the machine running the tests (its profiles, its
 * credentials) can leak into a run.
 */
export function emptyHome(): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'wickr-cli-home-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * An environment that reaches the emulator with its built-in key and nothing else: instance metadata is off so
 * a run on a cloud machine never picks up that machine's role.
 */
export function emulatorEnv(home: string, url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_WICKR: url,
    AWS_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS.secretAccessKey,
    ...extra,
  };
}
