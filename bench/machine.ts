import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { version as esbuildVersion } from 'esbuild';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly awsCdkLib: string;
  readonly esbuild: string;
  readonly platform: string;
}

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    awsCdkLib: packageVersion('aws-cdk-lib'),
    esbuild: esbuildVersion,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** One-minute load average, to say how busy the machine was while the figures were taken. */
export function loadAverage(): number {
  return os.loadavg()[0];
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line !== undefined) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: os.cpus() still names the model.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function packageVersion(name: string): string {
  const manifest = path.join(__dirname, '..', 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
