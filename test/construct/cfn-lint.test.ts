import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { CFN_LINT_IGNORED_CHECKS, EVERY_FEATURE_STACKS, everyFeatureApp } from './stacks';

// cfn-lint exits with 0 when it finds nothing and 8 when it finds only informational matches; errors and
// warnings add 2 and 4.
const CLEAN_EXIT_CODES = [0, 8];


describe('cfn-lint', () => {
  const assembly = everyFeatureApp().synth();

  test.each(Object.entries(EVERY_FEATURE_STACKS))(
    'finds no error or warning in %s, a template that uses every feature, for %j',
    (stackName, regions) => {
      // GIVEN
      const dir = mkdtempSync(path.join(tmpdir(), 'wickr-users-count-cfn-lint-'));
      const file = path.join(dir, 'template.json');
      writeFileSync(file, JSON.stringify(assembly.getStackByName(stackName).template, null, 2));

      try {
        // WHEN
        const lint = spawnSync('cfn-lint', [
          '--format', 'parseable', '--ignore-checks', ...CFN_LINT_IGNORED_CHECKS, '--regions', ...regions, '--', file,
        ], { encoding: 'utf-8' });

        // THEN
        if (lint.error) {
          throw new Error(`cfn-lint could not run (install it with "pip install cfn-lint"): ${lint.error.message}`);
        }
        const problems = lint.stdout.split('\n').filter((line) => line !== '' && !/:I\d{4}:/.test(line));
        expect(problems).toEqual([]);
        expect(lint.stderr).toBe('');
        expect(CLEAN_EXIT_CODES).toContain(lint.status);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
