import { configFile, credentialsFile, Environment, profileName, readProfile } from './shared-config';

/**
 * Picks the region the way the AWS CLI does: the flag, then AWS_REGION, then AWS_DEFAULT_REGION, then the
 * profile's `region` in the shared config file (and, as the AWS SDKs also accept, in the credentials file).
 */

export interface ResolvedRegion {
  readonly region: string;
  /** Where it came from, for messages: `--region`, `AWS_REGION`, or a file and profile. */
  readonly source: string;
}

export function resolveRegion(env: Environment, flag?: string, profileFlag?: string): ResolvedRegion | undefined {
  if (flag) {
    return { region: flag, source: '--region' };
  }
  for (const variable of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const value = env[variable]?.trim();
    if (value) {
      return { region: value, source: variable };
    }
  }

  const profile = profileName(env, profileFlag);
  for (const [path, kind] of [[configFile(env), 'config'], [credentialsFile(env), 'credentials']] as const) {
    const region = readProfile(path, profile, kind)?.region;
    if (region) {
      return { region, source: `profile "${profile}" in ${path}` };
    }
  }
  return undefined;
}

/** Says where a region was looked for, naming the actual files and profile, and how to give one. */
export function describeRegionSearch(env: Environment, profileFlag?: string): string {
  const profile = profileName(env, profileFlag);
  return 'No AWS region found. Looked for --region, the environment variables AWS_REGION and AWS_DEFAULT_REGION, '
    + `and a "region" setting for profile "${profile}" in ${configFile(env)} and ${credentialsFile(env)}. `
    + 'Pass --region (the Wickr network\'s own region, e.g. us-east-1) or set AWS_REGION.';
}
