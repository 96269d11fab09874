import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { configFile, credentialsFile, Environment, profileName } from './shared-config';
import type { AwsCredentials } from '../lambda/wickr/client';

/** No region, or no credentials: the tool cannot sign a request. */
export class ConfigurationError extends Error {
  public readonly name = 'ConfigurationError';
}

const NOTHING_FOUND = 'Could not load credentials from any providers';

/**
 * Loads credentials with the AWS SDK's standard Node.js chain (environment, shared files with SSO and
 * credential_process, web identity, container and instance metadata), as seen from `env`.
 */
export async function loadCredentials(env: Environment, profileFlag?: string): Promise<AwsCredentials> {
  const provider = fromNodeProviderChain({ profile: profileFlag, ignoreCache: true });
  try {
    const identity = await withEnvironment(env, () => provider());
    const { accessKeyId, secretAccessKey, sessionToken } = identity;
    return { accessKeyId, secretAccessKey, sessionToken };
  } catch (error) {
    const said = error instanceof Error && error.message !== NOTHING_FOUND ? error.message : undefined;
    const detail = said ? ` The last source said: ${said}` : '';
    throw new ConfigurationError(`${describeCredentialsSearch(env, profileFlag)}${detail}`);
  }
}

/** Names every place the chain looked, with the actual files and profile, and how to provide credentials. */
export function describeCredentialsSearch(env: Environment, profileFlag?: string): string {
  const profile = profileName(env, profileFlag);
  const profileChosen = profileFlag !== undefined || env.AWS_PROFILE !== undefined;
  const envSkipped = profileChosen ? ' (skipped: a profile is set)' : '';
  const places = [
    `the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY${envSkipped}`,
    `profile "${profile}" in ${credentialsFile(env)} and ${configFile(env)} (keys, SSO, credential_process, role_arn)`,
    'a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)',
    'container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI)',
    env.AWS_EC2_METADATA_DISABLED?.toLowerCase() === 'true'
      ? 'EC2 instance metadata (skipped: AWS_EC2_METADATA_DISABLED is true)'
      : 'EC2 instance metadata',
  ];
  return `No AWS credentials found. Looked in ${places.join('; ')}. `
    + 'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose a configured profile with --profile or AWS_PROFILE.';
}

/**
 * The SDK's providers read `process.env`; `main()` takes its environment as a parameter so that embedders and
 * tests can run it with another one, so the chain runs with that environment in place and the real one is put
 * back whatever happens.
 */
async function withEnvironment<T>(env: Environment, run: () => Promise<T>): Promise<T> {
  if (env === process.env) {
    return run();
  }
  const saved = process.env;
  process.env = { ...env };
  try {
    return await run();
  } finally {
    process.env = saved;
  }
}
