import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The integration test's committed snapshot, checked without deploying.
 *
 * Asset hashes and the assertion provider's `salt` (a timestamp integ-tests-alpha sets on every synthesis) are
 * replaced by placeholders first, as integ-runner does, so the check fails on a changed template and not on a
 * rebuilt bundle. Refresh the snapshot with `npx projen integ:snapshot`.
 */
const SNAPSHOT = path.join(__dirname, 'integ.wickr-users-count.snapshot');

function canonical(text: string): unknown {
  const hashes = new Map<string, string>();
  const stable = text
    .replace(/"salt":\s*"\d+"/g, '"salt": "<salt>"')
    .replace(/[0-9a-f]{64}/g, (hash) => {
      if (!hashes.has(hash)) hashes.set(hash, `<asset ${hashes.size + 1}>`);
      return hashes.get(hash)!;
    });
  return JSON.parse(stable);
}

function comparedFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.template.json') || f === 'integ.json').sort();
}

describe('integration test snapshot', () => {
  let outdir: string;

  beforeAll(() => {
    // GIVEN the integration test app, synthesized into a scratch folder
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'wickr-integ-'));
    const previous = process.env.CDK_OUTDIR;
    process.env.CDK_OUTDIR = outdir;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app synthesizes when it is loaded
      jest.isolateModules(() => require('./integ.wickr-users-count'));
    } finally {
      if (previous === undefined) delete process.env.CDK_OUTDIR;
      else process.env.CDK_OUTDIR = previous;
    }
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes the same stacks as the committed snapshot', () => {
    expect(comparedFiles(outdir)).toEqual(comparedFiles(SNAPSHOT));
  });

  test.each(comparedFiles(SNAPSHOT))('%s matches the committed snapshot', (file) => {
    // WHEN / THEN
    const synthesized = canonical(fs.readFileSync(path.join(outdir, file), 'utf8'));
    const committed = canonical(fs.readFileSync(path.join(SNAPSHOT, file), 'utf8'));
    expect(synthesized).toEqual(committed);
  });

  test('deploys the construct with the network id as a parameter', () => {
    const template = canonical(fs.readFileSync(path.join(SNAPSHOT, 'WickrUsersCountInteg.template.json'), 'utf8')) as any;
    expect(template.Parameters.NetworkId).toEqual(expect.objectContaining({ AllowedPattern: '^[0-9]{8}$' }));
    const counts = Object.values(template.Resources).filter((r: any) => r.Type === 'Custom::WickrUsersCount');
    expect(counts).toHaveLength(1);
    expect((counts[0] as any).Properties.NetworkId).toEqual({ Ref: 'NetworkId' });
  });
});
