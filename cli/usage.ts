import { DEFAULT_EMULATOR_PORT, DEFAULT_TIMEOUT_SECONDS, FAIL_KINDS, MAX_TIMEOUT_SECONDS } from './args';

/** What the process exit code tells a script. */
export const EXIT = {
  OK: 0,
  GUARD_FAILED: 1,
  USAGE: 2,
  API: 3,
  CONFIGURATION: 4,
  /** A bug in the tool: the message carries a stack trace to report. */
  INTERNAL: 70,
} as const;

export const COUNT_USAGE = `Usage: cdk-wickr-users-count [count] --network-id ID [options]

Reads an AWS Wickr network's user counts (GetUsersCount) and checks them against capacity conditions,
the same way the WickrUsersCount construct does at deploy time.

Options:
  --network-id ID        the 8-digit id of the Wickr network (required)
  --region REGION        the network's region; default: AWS_REGION, AWS_DEFAULT_REGION, then the
                         profile's region in the shared config file (~/.aws/config or AWS_CONFIG_FILE)
  --profile NAME         the shared config profile for credentials and region; default: AWS_PROFILE or "default"
  --min-remaining N      fail unless at least N users can still be added (the "remaining" count)
  --max-pending N        fail when more than N invitations are pending
  --max-active N         fail when more than N users are active
  --max-total N          fail when active plus pending users exceed N
  --warn-only            report a failed condition but exit 0 (the construct's GuardMode.WARN)
  --json                 print JSON instead of a table
  --endpoint-url URL     send the request to URL; default: AWS_ENDPOINT_URL_WICKR, AWS_ENDPOINT_URL, or
                         the region's Wickr Admin API host
  --fips                 use the FIPS endpoint
  --dual-stack           use the dual-stack (IPv4 and IPv6) endpoint
  --timeout SECONDS      the time the read may take, retries included
                         (default ${DEFAULT_TIMEOUT_SECONDS}, at most ${MAX_TIMEOUT_SECONDS})
  -h, --help             show this help
  -v, --version          show the version

Credentials come from the standard AWS chain: environment variables, the shared credentials and config
files (profiles, SSO, credential_process), web identity, container and instance metadata.

Exit codes:
  0  the counts were read and every condition held (or --warn-only was given)
  1  a condition failed
  2  the command line is wrong
  3  the Wickr API or the network answered with an error
  4  no region or no credentials could be found
  70 an unexpected failure in the tool itself

Commands:
  count                  read the counts (the default)
  emulator               run a local Wickr emulator; see cdk-wickr-users-count emulator --help

Example:
  cdk-wickr-users-count --network-id 12345678 --region us-east-1 --min-remaining 10
`;

export const EMULATOR_USAGE = `Usage: cdk-wickr-users-count emulator [options]

Runs a local stand-in for the Wickr Admin API's GetUsersCount, which checks SigV4 signatures, until
interrupted (Ctrl+C).

Options:
  --host HOST                    the address to listen on (default 127.0.0.1)
  --port PORT                    the port to listen on; 0 picks a free one (default ${DEFAULT_EMULATOR_PORT})
  --network ID[:COUNTS]          a network to serve, e.g. 12345678:active=40,pending=5,rejected=2,remaining=55;
                                 counts left out are 0, total is active + pending; repeatable
                                 (default: 12345678:active=40,pending=5,rejected=2,remaining=55)
  --fail KIND                    answer every request with a fault: ${FAIL_KINDS.slice(0, 4).join(', ')},
                                 ${FAIL_KINDS.slice(4).join(', ')}
  --fail-times N                 only the first N requests get the fault
  --access-key-id ID             the access key the emulator accepts (default: its built-in test key)
  --secret-access-key SECRET     the secret key that goes with it
  -h, --help                     show this help
`;
