import { awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-wickr-users-count',
  description:
    'A CDK construct that reads an AWS Wickr network\'s user counts at deploy time, guards deployments on capacity and keeps CloudWatch metrics current.',
  author: 'cdk-wickr-users-count maintainers',
  authorAddress: 'maintainers@cdk-wickr-users-count.dev',
  repositoryUrl: 'https://github.com/cdk-wickr-users-count/cdk-wickr-users-count.git',
  license: 'Apache-2.0',
  keywords: ['awscdk', 'aws-cdk', 'cdk', 'wickr', 'custom-resource', 'capacity'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  // aws-cdk-lib 2.257 is the oldest that cdk-nag 3 accepts; integ-tests-alpha 2.245 peers with ^2.245.
  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',

  publishToPypi: {
    distName: 'cdk-wickr-users-count',
    module: 'cdk_wickr_users_count',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkwickruserscount',
    mavenGroupId: 'io.github.cdk-wickr-users-count',
    mavenArtifactId: 'cdk-wickr-users-count',
    mavenServerId: 'central-ossrh',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkWickrUsersCount',
    packageId: 'CdkWickrUsersCount',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-wickr-users-count/cdk-wickr-users-count-go',
  },

  devDeps: [
    'esbuild@^0.28.2',
    '@smithy/signature-v4@^5.7.5',
    '@smithy/protocol-http@^5.6.2',
    '@aws-crypto/sha256-js@^5.2.0',
    '@smithy/hash-node@^4.5.2',
    '@aws-sdk/credential-providers@^3.1178.0',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    'cdk-nag@^3.0.2',
    'fast-check@^4.11.0',
    'aws-cdk@^2.1148.1',
  ],

  bin: { 'cdk-wickr-users-count': 'assets/cli/index.js' },

  jestOptions: {
    jestConfig: {
      testTimeout: 60_000,
    },
  },
  tsconfigDev: {
    include: ['../lambda/**/*.ts', '../cli/**/*.ts', '../emulator/**/*.ts', '../demo/**/*.ts', '../bench/**/*.ts'],
    compilerOptions: {},
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'lambda', 'cli', 'emulator', 'demo', 'bench', 'projenrc', '.projenrc.ts'],
  },

  gitignore: ['/assets/', '/demo/cdk.out/', '/bench/out/', '*.pacmak/', '.jsii.tabl.json'],
  npmignoreEnabled: true,
});

// Lint every folder with type information: the library with its own tsconfig, everything else (handler, tool,
// emulator, demo, benchmarks, tests) with the one the tests compile with.
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addOverride('parserOptions.projectService', false);
eslintrc?.addOverride('parserOptions.project', ['./tsconfig.json', './test/tsconfig.json', './projenrc/tsconfig.json']);

// The handler and the command-line tool are bundled with esbuild. ES module entry points let esbuild
// tree-shake the Smithy signer down to what one GET needs; the output stays CommonJS so Lambda and jest
// can require it. The handler gets only the environment credentials Lambda provides; the tool gets the
// full SDK credential chain, in its own bundle.
const esbuild = 'esbuild --bundle --platform=node --format=cjs --main-fields=module,main --legal-comments=none';
const bundle = project.addTask('bundle', {
  description: 'Bundle the deploy-time handler and the command-line tool with esbuild',
});
bundle.exec(`${esbuild} --minify --target=node22 lambda/index.ts --outfile=assets/handler/index.js`);
bundle.exec(`${esbuild} --target=node20 --banner:js="#!/usr/bin/env node" cli/index.ts --outfile=assets/cli/index.js`);
bundle.exec('chmod +x assets/cli/index.js');
project.preCompileTask.spawn(bundle);
project.testTask.prependSpawn(bundle);

project.npmignore?.exclude('/rosetta/', '/lambda/', '/cli/', '/emulator/', '/demo/', '/bench/', '/docs/', '/.ci/', '*.pacmak/');
project.npmignore?.include('/assets/');

// Every TypeScript snippet in the README and the API docs must compile, so that jsii can translate it.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every example in the README and the API docs with jsii-rosetta',
  exec: 'jsii-rosetta extract --strict --compile',
});
project.postCompileTask.spawn(rosetta);

// Python, Java, .NET and Go packages need those toolchains and their registries; the sources they are built
// from need neither, so every build generates them and the release jobs finish them.
const codeOnly = project.addTask('package:code-only', {
  description: 'Generate the Python, Java, .NET and Go sources with jsii-pacmak (no toolchain needed)',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir dist/code-only',
});
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);
project.packageTask.spawn(codeOnly);

// The integration test deploys for real only when someone with an AWS account and a Wickr network asks for it;
// every test run checks that the synthesized templates still match the committed snapshot
// (test/integ/snapshot.test.ts).
const integApp = 'ts-node -P test/tsconfig.json test/integ/integ.wickr-users-count.ts';
const integSnapshot = 'test/integ/integ.wickr-users-count.snapshot';
const integScratch = 'test/integ/.tmp';
const cdkArgs = `--app "${integApp}" --no-notices --no-version-reporting --no-asset-metadata --no-path-metadata`;
const integIgnored = ['asset.*', 'cdk.out', 'manifest.json', 'tree.json', '*.metadata.json'];
project.addTask('integ:snapshot', {
  description: 'Synthesize the integration test into its committed snapshot',
  steps: [
    { spawn: 'bundle' },
    { exec: `rm -rf ${integSnapshot}` },
    { exec: `cdk synth --quiet ${cdkArgs} -o ${integSnapshot}` },
  ],
});
project.addTask('integ:deploy', {
  description: 'Deploy the integration test against the Wickr network in WICKR_NETWORK_ID, run its assertions, destroy it',
  steps: [
    { spawn: 'bundle' },
    { exec: 'test -n "$WICKR_NETWORK_ID" || (echo "Set WICKR_NETWORK_ID to the 8-digit id of a Wickr network in AWS_REGION" >&2; exit 1)' },
    {
      exec: `cdk deploy ${cdkArgs} '**' --require-approval=never --parameters WickrUsersCountInteg:NetworkId=$WICKR_NETWORK_ID -o ${integScratch}/deploy.cdk.out`,
    },
    { exec: `cdk destroy ${cdkArgs} '**' --force -o ${integScratch}/deploy.cdk.out` },
  ],
});
for (const ignored of integIgnored) {
  project.gitignore.exclude(`${integSnapshot}/${ignored}`);
}
project.gitignore.exclude(`${integScratch}/`);

project.addTask('demo', {
  description: 'Local end-to-end run: synthesize the example app and play CloudFormation against the built-in Wickr emulator',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --project test/tsconfig.json demo/run.ts' }],
});

project.addTask('reliability', {
  description: 'Run the fault, concurrency and leak scenarios against the emulator and write docs/reliability.md',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --project test/tsconfig.json test/reliability/report.ts' }],
});

project.addTask('bench', {
  description: 'Benchmarks against AwsCustomResource: bundle size, cold start, template cost, synth time',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --project test/tsconfig.json bench/run.ts' }],
});

project.synth();
