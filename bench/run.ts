import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { measureBundleSizes } from './bundle-size';
import { measureColdStart } from './cold-start';
import { describeMachine, loadAverage } from './machine';
import { analyse, renderMarkdown, renderSummary, renderTable, RunSettings } from './report';
import { Implementation, synthesize, Synthesis } from './stacks';

const SETTINGS: RunSettings = {
  coldStartRuns: 25,
  coldStartWarmUpRuns: 1,
  templateCounts: [1, 10, 50],
  synthCount: 50,
  synthRuns: 9,
};
const IMPLEMENTATIONS: readonly Implementation[] = ['ours', 'awsCustomResource'];

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadAverage();
  const machine = describeMachine();

  log('1/4 handler bundle size');
  const bundles = measureBundleSizes();

  log(`2/4 cold start: ${SETTINGS.coldStartRuns} runs each, interleaved, after a warm-up`);
  const coldStart = await measureColdStart({ runs: SETTINGS.coldStartRuns, warmUpRuns: SETTINGS.coldStartWarmUpRuns });

  log(`3/4 template cost for N = ${SETTINGS.templateCounts.join(', ')}`);
  const templates = new Map<Implementation, Map<number, Synthesis>>();
  for (const implementation of IMPLEMENTATIONS) {
    templates.set(implementation, new Map(SETTINGS.templateCounts.map((n) => [n, synthesize(implementation, n)])));
  }

  log(`4/4 synth time for N = ${SETTINGS.synthCount}: ${SETTINGS.synthRuns} runs each, interleaved, after a warm-up`);
  const synthMs = measureSynthTime();

  const results = analyse({
    settings: SETTINGS,
    machine,
    load: { before: loadBefore, after: loadAverage() },
    elapsedSeconds: (Date.now() - started) / 1000,
    bundles,
    coldStart,
    templates,
    synthMs,
  });

  const docs = path.join(__dirname, '..', 'docs');
  mkdirSync(docs, { recursive: true });
  writeFileSync(path.join(docs, 'benchmarks.md'), renderMarkdown(results));

  process.stdout.write(`\n${renderTable(results)}\n\nWrote docs/benchmarks.md.\n\nSummary for the README:\n\n`);
  process.stdout.write(`${renderSummary(results)}\n`);
}

/** The warm-up pays the one-off module loading, so the medians compare synthesis and nothing else. */
function measureSynthTime(): Map<Implementation, number[]> {
  const samples = new Map<Implementation, number[]>(IMPLEMENTATIONS.map((implementation) => [implementation, []]));
  for (const implementation of IMPLEMENTATIONS) synthesize(implementation, SETTINGS.synthCount);
  for (let run = 0; run < SETTINGS.synthRuns; run++) {
    const order = run % 2 === 0 ? IMPLEMENTATIONS : [...IMPLEMENTATIONS].reverse();
    for (const implementation of order) {
      samples.get(implementation)!.push(synthesize(implementation, SETTINGS.synthCount).synthMs);
    }
  }
  return samples;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
