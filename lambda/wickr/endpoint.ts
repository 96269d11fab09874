/**
 * Picks the Wickr Admin API host for a region the way the service's endpoint rule set does
 * (`shared/wickr-api/endpoint-rule-set.json`): an SDK-wide endpoint override wins, otherwise the host is built
 * from the region's partition. The partition table mirrors AWS's partition data; every partition in it
 * supports both FIPS and dual-stack, so the rule set's "partition does not support" branches cannot be reached.
 */

export interface Partition {
  /** The partition name as it appears in ARNs, e.g. `aws-cn`. */
  readonly name: string;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
}

const COMMERCIAL = ['aws', 'amazonaws.com', 'api.aws'] as const;

/**
 * Name, DNS suffix and dual-stack DNS suffix of every other partition in AWS's partition data, under the prefix
 * its regions start with: a region is a prefix, a word and a number (`us-gov-west-1`).
 */
const PARTITIONS: Readonly<Record<string, readonly [string, string, string]>> = {
  'cn': ['aws-cn', 'amazonaws.com.cn', 'api.amazonwebservices.com.cn'],
  'eusc-de': ['aws-eusc', 'amazonaws.eu', 'api.amazonwebservices.eu'],
  'us-iso': ['aws-iso', 'c2s.ic.gov', 'api.aws.ic.gov'],
  'us-isob': ['aws-iso-b', 'sc2s.sgov.gov', 'api.aws.scloud'],
  'eu-isoe': ['aws-iso-e', 'cloud.adc-e.uk', 'api.cloud-aws.adc-e.uk'],
  'us-isof': ['aws-iso-f', 'csp.hci.ic.gov', 'api.aws.hci.ic.gov'],
  'us-gov': ['aws-us-gov', 'amazonaws.com', 'api.aws'],
};

/** Lower-case words joined by dashes and ending in a number, e.g. `us-east-1`, `us-gov-west-1`, `eusc-de-east-1`. */
export const REGION_PATTERN = /^[a-z]{2,}(-[a-z]+)+-\d{1,2}$/;

/** Environment variables that override the endpoint, most specific first (the AWS SDKs' convention). */
export const ENDPOINT_OVERRIDE_VARIABLES = ['AWS_ENDPOINT_URL_WICKR', 'AWS_ENDPOINT_URL'] as const;

export function isRegion(value: unknown): value is string {
  return typeof value === 'string' && REGION_PATTERN.test(value);
}

/**
 * The partition a region belongs to. Like the AWS SDKs, a region that matches no partition's pattern is taken
 * to be in the commercial partition, so a region launched after this table was written still gets a host.
 */
export function partitionOf(region: string): Partition {
  const prefix = /^(.+)-\w+-\d+$/.exec(region)?.[1] ?? '';
  const [name, dnsSuffix, dualStackDnsSuffix] = PARTITIONS[prefix] ?? COMMERCIAL;
  return { name, dnsSuffix, dualStackDnsSuffix };
}

export interface EndpointOptions {
  readonly region: string;
  /** @default false */
  readonly useFips?: boolean;
  /** @default false */
  readonly useDualStack?: boolean;
  /**
   * Where the override variables are read from, at call time.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedEndpoint {
  /** The base URL, without a trailing slash, e.g. `https://admin.wickr.us-east-1.amazonaws.com`. */
  readonly url: string;
  /** The variable the URL came from, or `rules` when the rule set built it. */
  readonly source: 'rules' | typeof ENDPOINT_OVERRIDE_VARIABLES[number];
}

/** Throws for a region or an override that no request can be built from. */
export function resolveEndpoint(options: EndpointOptions): ResolvedEndpoint {
  const { region, useFips, useDualStack, env = process.env } = options;
  if (!isRegion(region)) {
    throw new Error(`Region must look like "us-east-1", got ${JSON.stringify(region)}.`);
  }

  const source = ENDPOINT_OVERRIDE_VARIABLES.find((name) => env[name]);
  if (!source) {
    const partition = partitionOf(region);
    const suffix = useDualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
    return { url: `https://admin.wickr${useFips ? '-fips' : ''}.${region}.${suffix}`, source: 'rules' };
  }

  if (useFips || useDualStack) {
    const option = useFips ? 'FIPS' : 'Dual-stack';
    throw new Error(`${option} and a custom endpoint (${source}) cannot be combined; unset one of them.`);
  }
  const value = env[source]!;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new Error(`${source} must be an http or https URL, got ${JSON.stringify(value)}.`);
  }
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, source };
}
