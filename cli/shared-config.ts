import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the AWS shared files are and which profile applies, read from an explicit environment (never from
 * `process.env` directly) so that the tool's caller decides what it sees.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

export function profileName(env: Environment, flag?: string): string {
  return flag ?? env.AWS_PROFILE ?? 'default';
}

/** The home directory the AWS SDKs use: HOME, then USERPROFILE, then HOMEDRIVE + HOMEPATH, then the OS's. */
export function homeDirectory(env: Environment): string {
  if (env.HOME) {
    return env.HOME;
  }
  if (env.USERPROFILE) {
    return env.USERPROFILE;
  }
  if (env.HOMEPATH) {
    return `${env.HOMEDRIVE ?? 'C:'}${env.HOMEPATH}`;
  }
  return homedir();
}

export function configFile(env: Environment): string {
  return env.AWS_CONFIG_FILE ?? join(homeDirectory(env), '.aws', 'config');
}

export function credentialsFile(env: Environment): string {
  return env.AWS_SHARED_CREDENTIALS_FILE ?? join(homeDirectory(env), '.aws', 'credentials');
}

/**
 * The settings of one profile in an INI file, or undefined when the file or the profile does not exist. In the
 * config file a profile's section is `[profile NAME]` (`[default]` may go without the prefix); in the credentials
 * file it is `[NAME]`.
 */
export function readProfile(
  path: string, profile: string, kind: 'config' | 'credentials',
): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }

  const wanted = kind === 'config' && profile !== 'default' ? [`profile ${profile}`] : [profile, `profile ${profile}`];
  let settings: Record<string, string> | undefined;
  let inWanted = false;
  for (const rawLine of text.split(/\r?\n/)) {
    // A comment starts a line, or follows whitespace, as in the AWS SDKs' INI reader.
    const line = rawLine.split(/(?:^|\s)[;#]/)[0];
    const section = /^\s*\[\s*([^\]]*?)\s*\]\s*$/.exec(line);
    if (section) {
      const name = section[1].replace(/\s+/g, ' ');
      inWanted = wanted.includes(name);
      if (inWanted) {
        settings = settings ?? {};
      }
      continue;
    }

    // Indented lines belong to a nested setting (`s3 =` and its sub-keys); a profile's own keys start the line.
    const pair = /^([^=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (inWanted && settings && pair) {
      settings[pair[1].toLowerCase()] = pair[2];
    }
  }
  return settings;
}
