import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  readonly file: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

export interface BundleSizes {
  readonly ours: BundleSize;
  readonly awsCustomResource: BundleSize;
}

const ROOT = path.resolve(__dirname, '..');
export const OUR_HANDLER = path.join(ROOT, 'assets', 'handler', 'index.js');
const AWS_CUSTOM_RESOURCE_HANDLER = path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'custom-resource-handlers',
  'dist', 'custom-resources', 'aws-custom-resource-handler', 'index.js');

export function measureBundleSizes(): BundleSizes {
  return {
    ours: measure(OUR_HANDLER),
    awsCustomResource: measure(AWS_CUSTOM_RESOURCE_HANDLER),
  };
}

function measure(file: string): BundleSize {
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run \`npx projen bundle\` first`);
  const content = readFileSync(file);

  // Level 9 for both sides, so the comparison does not depend on zlib's default trade-off.
  const gzipBytes = gzipSync(content, { level: 9 }).length;
  return { file: path.relative(ROOT, file), rawBytes: content.length, gzipBytes };
}
