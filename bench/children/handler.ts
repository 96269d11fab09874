import { createRequire } from 'node:module';
import { requireEnv, runMeasured } from './child';
import { lambdaContext } from '../../emulator/cloudformation';

/**
 * The measured side of the cold-start benchmark: loads the shipped handler bundle the way Lambda's Node.js runtime
 * does (a CommonJS require at init) and answers one CloudFormation event. The path comes from the environment, so
 * this runner never bundles the handler into itself.
 */
type Handler = (event: unknown, context: unknown) => Promise<unknown>;

async function main(): Promise<void> {
  const load = createRequire(__filename);
  const { handler } = load(requireEnv('BENCH_HANDLER')) as { handler: Handler };
  const event: unknown = JSON.parse(requireEnv('BENCH_EVENT'));

  await handler(event, lambdaContext());
}

runMeasured(main);
