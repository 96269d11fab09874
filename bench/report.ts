import { BundleSizes } from './bundle-size';
import { ColdStartResults } from './cold-start';
import { Machine } from './machine';
import { Implementation, Synthesis } from './stacks';
import {
  formatBytes, formatExactBytes, formatKiB, formatMs, formatRatio, median, percentile, ratio, verdict,
} from './stats';

export interface RunSettings {
  readonly coldStartRuns: number;
  readonly coldStartWarmUpRuns: number;
  readonly templateCounts: readonly number[];
  readonly synthCount: number;
  readonly synthRuns: number;
}

export interface RawResults {
  readonly settings: RunSettings;
  readonly machine: Machine;
  readonly load: { readonly before: number; readonly after: number };
  readonly elapsedSeconds: number;
  readonly bundles: BundleSizes;
  readonly coldStart: ColdStartResults;
  readonly templates: ReadonlyMap<Implementation, ReadonlyMap<number, Synthesis>>;
  readonly synthMs: ReadonlyMap<Implementation, readonly number[]>;
}

/** One line of the results table: a figure for each side, their ratio, and the target it is held to. */
export interface Row {
  readonly measure: string;
  readonly ours: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly met?: boolean;
}

export interface Results {
  readonly raw: RawResults;
  readonly rows: readonly Row[];
  readonly figures: {
    readonly bundleRawRatio: number;
    readonly bundleGzipRatio: number;
    readonly coldMedianMs: number;
    readonly floorMedianMs: number;
    readonly coldRatio: number;
    readonly peakRssMiB: number;
    readonly oursResourcesPerInstance: number;
    readonly theirsResourcesPerInstance: number;
    readonly oursBytesPerInstance: number;
    readonly theirsBytesPerInstance: number;
    readonly synthOursMs: number;
    readonly synthTheirsMs: number;
  };
}

const BUNDLE_TARGET = 0.25;
const COLD_START_TARGET = 1.5;
const MEMORY_LIMIT_MIB = 128;
const TEMPLATE_BYTES_TARGET = 0.5;

export function analyse(raw: RawResults): Results {
  const { bundles, coldStart, settings } = raw;
  const bundleRawRatio = ratio(bundles.ours.rawBytes, bundles.awsCustomResource.rawBytes);
  const bundleGzipRatio = ratio(bundles.ours.gzipBytes, bundles.awsCustomResource.gzipBytes);

  const coldMs = coldStart.handler.map((s) => s.wallMs);
  const floorMs = coldStart.floor.map((s) => s.wallMs);
  const coldMedianMs = median(coldMs);
  const floorMedianMs = median(floorMs);
  const coldRatio = ratio(coldMedianMs, floorMedianMs);
  const coldP90Ratio = ratio(percentile(coldMs, 90), percentile(floorMs, 90));
  const peakRssMiB = Math.max(...coldStart.handler.map((s) => s.maxRssKb)) / 1024;
  const floorPeakRssMiB = Math.max(...coldStart.floor.map((s) => s.maxRssKb)) / 1024;

  const ours = perExtraInstance(raw, 'ours');
  const theirs = perExtraInstance(raw, 'awsCustomResource');
  const bytesRatio = ratio(ours.bytes, theirs.bytes);

  const synthOursMs = median(raw.synthMs.get('ours') ?? []);
  const synthTheirsMs = median(raw.synthMs.get('awsCustomResource') ?? []);
  const first = settings.templateCounts[0];
  const last = settings.templateCounts[settings.templateCounts.length - 1];

  const rows: Row[] = [
    {
      measure: 'Handler bundle, raw (vs AwsCustomResource handler)',
      ours: formatBytes(bundles.ours.rawBytes),
      baseline: formatBytes(bundles.awsCustomResource.rawBytes),
      ratio: formatRatio(bundleRawRatio),
      target: `≤ ${formatRatio(BUNDLE_TARGET)}`,
      met: bundleRawRatio <= BUNDLE_TARGET,
    },
    {
      measure: 'Handler bundle, gzip -9 (vs AwsCustomResource handler)',
      ours: formatBytes(bundles.ours.gzipBytes),
      baseline: formatBytes(bundles.awsCustomResource.gzipBytes),
      ratio: formatRatio(bundleGzipRatio),
      target: `≤ ${formatRatio(BUNDLE_TARGET)}`,
      met: bundleGzipRatio <= BUNDLE_TARGET,
    },
    {
      measure: 'Cold start, median, spawn to exit (vs bare signed request)',
      ours: formatMs(coldMedianMs),
      baseline: formatMs(floorMedianMs),
      ratio: formatRatio(coldRatio),
      target: `≤ ${formatRatio(COLD_START_TARGET)}`,
      met: coldRatio <= COLD_START_TARGET,
    },
    {
      measure: 'Cold start, p90, spawn to exit (vs bare signed request)',
      ours: formatMs(percentile(coldMs, 90)),
      baseline: formatMs(percentile(floorMs, 90)),
      ratio: formatRatio(coldP90Ratio),
      target: '—',
    },
    {
      measure: 'Cold start, peak memory (maxRSS, worst run; vs bare signed request)',
      ours: `${peakRssMiB.toFixed(1)} MiB`,
      baseline: `${floorPeakRssMiB.toFixed(1)} MiB`,
      ratio: formatRatio(ratio(peakRssMiB, floorPeakRssMiB)),
      target: `ours < ${MEMORY_LIMIT_MIB} MiB`,
      met: peakRssMiB < MEMORY_LIMIT_MIB,
    },
    {
      measure: `Resources per extra instance, (N=${last} − N=${first}) / ${last - first} (vs AwsCustomResource)`,
      ours: formatCount(ours.resources),
      baseline: formatCount(theirs.resources),
      ratio: formatRatio(ratio(ours.resources, theirs.resources)),
      target: 'ours = 1',
      met: ours.resources === 1,
    },
    {
      measure: `Template bytes per extra instance, (N=${last} − N=${first}) / ${last - first} (vs AwsCustomResource)`,
      ours: formatBytes(ours.bytes),
      baseline: formatBytes(theirs.bytes),
      ratio: formatRatio(bytesRatio),
      target: `≤ ${formatRatio(TEMPLATE_BYTES_TARGET)}`,
      met: bytesRatio <= TEMPLATE_BYTES_TARGET,
    },
    {
      measure: `Synth time, N=${settings.synthCount}, median of ${settings.synthRuns} (vs AwsCustomResource)`,
      ours: formatMs(synthOursMs),
      baseline: formatMs(synthTheirsMs),
      ratio: formatRatio(ratio(synthOursMs, synthTheirsMs)),
      target: '—',
    },
  ];

  return {
    raw,
    rows,
    figures: {
      bundleRawRatio,
      bundleGzipRatio,
      coldMedianMs,
      floorMedianMs,
      coldRatio,
      peakRssMiB,
      oursResourcesPerInstance: ours.resources,
      theirsResourcesPerInstance: theirs.resources,
      oursBytesPerInstance: ours.bytes,
      theirsBytesPerInstance: theirs.bytes,
      synthOursMs,
      synthTheirsMs,
    },
  };
}

export function renderTable(results: Results): string {
  const lines = [
    '| Measure | Ours | Baseline | Ours ÷ baseline | Target | Result |',
    '|---|--:|--:|--:|---|---|',
    ...results.rows.map((row) => `| ${row.measure} | ${row.ours} | ${row.baseline} | ${row.ratio} | ${row.target} | `
      + `${row.met === undefined ? '—' : verdict(row.met)} |`),
  ];
  return lines.join('\n');
}

export function renderSummary(results: Results): string {
  const f = results.figures;
  const { bundles, settings } = results.raw;
  const noun = f.oursResourcesPerInstance === 1 ? 'resource' : 'resources';
  const ours = `${formatCount(f.oursResourcesPerInstance)} ${noun} and ${formatExactBytes(f.oursBytesPerInstance)}`;
  const theirs = `${formatCount(f.theirsResourcesPerInstance)} and ${formatExactBytes(f.theirsBytesPerInstance)}`;
  return [
    `Handler bundle ${formatKiB(bundles.ours.rawBytes)} (${formatKiB(bundles.ours.gzipBytes)} gzipped), `
      + `${formatRatio(f.bundleRawRatio)} the size of AwsCustomResource's handler; `
      + `cold start ${formatMs(f.coldMedianMs)} median, ${formatRatio(f.coldRatio)} a bare signed request; `
      + `peak memory ${f.peakRssMiB.toFixed(0)} MiB.`,
    `Each extra instance adds ${ours} of template (AwsCustomResource: ${theirs}); `
      + `${settings.synthCount} instances synthesize in ${formatMs(f.synthOursMs)} `
      + `(AwsCustomResource: ${formatMs(f.synthTheirsMs)}).`,
  ].join('\n');
}

export function renderMarkdown(results: Results): string {
  const { raw } = results;
  const { machine, settings, bundles } = raw;
  const counts = settings.templateCounts;
  const first = counts[0];
  const last = counts[counts.length - 1];

  return `# Benchmarks

This page is written by \`npm run bench\` (\`bench/run.ts\`); do not edit it by hand. It compares
\`WickrUsersCount\` with what a user would otherwise write: an \`AwsCustomResource\` from
\`aws-cdk-lib/custom-resources\` that calls \`Wickr.GetUsersCount\`, with
\`AwsCustomResourcePolicy.fromStatements\` scoped to the one network's ARN (least privilege, as here) and
\`installLatestAwsSdk: false\`. Both sides are measured on the same work, in the same run.

## Machine

| | |
|---|---|
| CPU | ${machine.cpu} |
| Cores | ${machine.cores} |
| Memory | ${machine.memoryGiB.toFixed(1)} GiB |
| OS | ${machine.platform} |
| Node.js | ${machine.node} |
| aws-cdk-lib | ${machine.awsCdkLib} |
| esbuild | ${machine.esbuild} |
| Load average (1 min), start → end | ${raw.load.before.toFixed(2)} → ${raw.load.after.toFixed(2)} |
| Time spent measuring | ${raw.elapsedSeconds.toFixed(0)} s |

## Results

${renderTable(results)}

Ratios are ours divided by the baseline: below 1 means ours is smaller or faster.

### Template cost by number of instances

| N | Ours: resources | Ours: template bytes | AwsCustomResource: resources | AwsCustomResource: template bytes |
|--:|--:|--:|--:|--:|
${counts.map((n) => templateRow(raw, n)).join('\n')}

## Method

1. **Handler bundle size.** \`${bundles.ours.file}\` as \`npx projen bundle\` writes it (esbuild, minified, SigV4
   signing included) against AwsCustomResource's handler,
   \`${bundles.awsCustomResource.file}\`,
   which also needs the AWS SDK from the Lambda runtime at run time (not counted here). Raw bytes, and bytes after
   gzip at level 9.
2. **Cold start.** Each sample is a fresh \`node\` process, timed from spawn to exit. The measured side loads a
   runner that \`require\`s the shipped handler bundle and answers one CloudFormation \`Create\` against the local
   Wickr emulator, PUTting its answer to a local ResponseURL receiver; a run counts only if the answer is
   \`SUCCESS\` with the emulator's counts after exactly one call to Wickr. The floor is a process that makes one
   bare signed \`GetUsersCount\` (\`@smithy/signature-v4\` with node:crypto hashing, and node:http) and does not
   answer CloudFormation, so the ratio slightly overstates the handler's overhead. Both runners are bundled with
   esbuild the same way. Warm-up: ${settings.coldStartWarmUpRuns} run per side; then ${settings.coldStartRuns} runs per
   side, interleaved with alternating order; median and p90 (nearest rank). Peak memory is
   \`process.resourceUsage().maxRSS\` printed by each child at exit; the worst run is reported and checked against a
   128 MB function.
3. **Template cost.** One stack with N = ${counts.join(', ')} instances, each reading its own network, synthesized
   in a fresh \`App\` (analytics reporting off, no path metadata, as \`Template.fromStack\` sees it). Template bytes
   are \`JSON.stringify\` of the synthesized template; resources are the keys of \`Resources\`. The cost of an extra
   instance is (N=${last} − N=${first}) / ${last - first}, which leaves out the one-off provider function and role.
4. **Synth time.** Building the tree and \`app.synth()\` for N = ${settings.synthCount}, in process, a fresh \`App\`
   each run; one warm-up per side, then ${settings.synthRuns} runs per side, interleaved; median.

Cold start on a laptop or CI runner is not Lambda's cold start (no sandbox, no runtime bootstrap), but both sides
pay the same Node start-up, so the ratio is the figure to read.

## Reproduce

\`\`\`sh
npm ci
npm run bench   # bundles, then runs bench/run.ts
\`\`\`

The script prints the table and a two-line summary, and rewrites this file. With ts-node's start-up and the
bundling it takes well under two minutes on the machine above. Figures move with the machine and its load; run it
on an idle machine.
`;
}

function perExtraInstance(raw: RawResults, implementation: Implementation): { resources: number; bytes: number } {
  const counts = raw.settings.templateCounts;
  const first = counts[0];
  const last = counts[counts.length - 1];
  const byCount = raw.templates.get(implementation);
  const small = byCount?.get(first);
  const large = byCount?.get(last);
  if (small === undefined || large === undefined) throw new Error(`no templates measured for ${implementation}`);
  return {
    resources: (large.resourceCount - small.resourceCount) / (last - first),
    bytes: (large.templateBytes - small.templateBytes) / (last - first),
  };
}

function templateRow(raw: RawResults, n: number): string {
  const ours = raw.templates.get('ours')?.get(n);
  const theirs = raw.templates.get('awsCustomResource')?.get(n);
  if (ours === undefined || theirs === undefined) throw new Error(`no templates measured for N=${n}`);
  return `| ${n} | ${ours.resourceCount} | ${ours.templateBytes} | ${theirs.resourceCount} | ${theirs.templateBytes} |`;
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
