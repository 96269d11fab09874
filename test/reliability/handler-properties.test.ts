import * as fc from 'fast-check';
import { Answer, deploy, presignedUrl, secretsOf } from './deployments';
import { findLeaks, OutputCapture } from './output';
import { lambdaContext } from '../../emulator/cloudformation';
import { COUNTS, DATA, Harness, NETWORK_ID } from '../handler/harness';

/** Fixed seeds: a failure names its seed and path, and the same run replays it. */
const EVENT_SEED = 20261205;
const BODY_SEED = 20261206;
const EVENT_RUNS = 100;
const BODY_RUNS = 80;

/** A network id of the right shape that the emulator does not know. */
const UNKNOWN_NETWORK = '87654321';
const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const COUNT_FIELDS = ['pending', 'active', 'rejected', 'remaining', 'total'] as const;
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d{1,2}$/;
const WHOLE_NUMBER = /^\s*\d+\s*$/;

let harness: Harness;
const output = new OutputCapture();
const answerBodies: string[] = [];
let runs = 0;

beforeAll(async () => {
  harness = await Harness.start();
});

afterAll(async () => {
  await harness.stop();
});

/** A generated value and whether the custom resource contract allows it. */
interface Tagged {
  readonly value: unknown;
  readonly valid: boolean;
}

const allowed = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<Tagged> => arb.map((value) => ({ value, valid: true }));
const refused = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<Tagged> => arb.map((value) => ({ value, valid: false }));

/** Values that are neither a number nor a string, which no property of the contract takes. */
const containers = fc.oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const structured = fc.oneof(fc.boolean(), containers);

/** A whole number as CloudFormation sends it (a string) or as a test might (a number). */
const wholeNumber = (min: number, max: number): fc.Arbitrary<unknown> =>
  fc.integer({ min, max }).chain((n) => fc.constantFrom<unknown>(n, String(n)));

/** Each property: what the contract allows, what it refuses, and whether it may be left out. */
const PROPERTIES = {
  NetworkId: {
    required: true,
    arb: fc.oneof(
      { weight: 11, arbitrary: allowed(fc.constantFrom(NETWORK_ID, NETWORK_ID, NETWORK_ID, UNKNOWN_NETWORK)) },
      { weight: 1, arbitrary: refused(fc.oneof(fc.string().filter((value) => !/^[0-9]{8}$/.test(value)), structured)) },
    ),
  },
  Region: {
    required: true,
    arb: fc.oneof(
      { weight: 11, arbitrary: allowed(fc.constantFrom('us-east-1', 'eu-west-1', 'us-gov-west-1', 'eusc-de-east-1')) },
      {
        weight: 1,
        arbitrary: refused(fc.oneof(fc.string().filter((value) => !REGION.test(value)), fc.integer(), structured)),
      },
    ),
  },
  TimeoutSeconds: {
    required: true,
    arb: fc.oneof(
      { weight: 11, arbitrary: allowed(wholeNumber(1, 900)) },
      {
        weight: 1,
        arbitrary: refused(fc.oneof(
          fc.integer().filter((n) => n < 1 || n > 900),
          fc.integer({ min: 901, max: 1e6 }).map(String),
          fc.double({ noInteger: true }),
          fc.string().filter((value) => !WHOLE_NUMBER.test(value)),
          structured,
        )),
      },
    ),
  },
  UseFipsEndpoint: { required: false, arb: flagArb() },
  UseDualStackEndpoint: { required: false, arb: flagArb() },
  MinimumRemaining: { required: false, arb: conditionArb() },
  MaximumPending: { required: false, arb: conditionArb() },
  MaximumActive: { required: false, arb: conditionArb() },
  MaximumTotal: { required: false, arb: conditionArb() },
  GuardMode: {
    required: false,
    arb: fc.oneof(
      { weight: 11, arbitrary: allowed(fc.constantFrom('ENFORCE', 'WARN')) },
      {
        weight: 1,
        arbitrary: refused(fc.oneof(fc.string().filter((value) => !['ENFORCE', 'WARN'].includes(value)), structured)),
      },
    ),
  },
};

type PropertyName = keyof typeof PROPERTIES;
const PROPERTY_NAMES = Object.keys(PROPERTIES) as PropertyName[];

function flagArb(): fc.Arbitrary<Tagged> {
  return fc.oneof(
    { weight: 11, arbitrary: allowed(fc.constantFrom('false', false, 'false', false, 'false', false, 'true', true)) },
    {
      weight: 1,
      arbitrary: refused(fc.oneof(
        fc.string().filter((value) => !['true', 'false'].includes(value)), fc.integer(), containers,
      )),
    },
  );
}

function conditionArb(): fc.Arbitrary<Tagged> {
  return fc.oneof(
    { weight: 11, arbitrary: allowed(fc.oneof(wholeNumber(0, 60), fc.constant(null))) },
    {
      weight: 1,
      arbitrary: refused(fc.oneof(
        fc.integer({ max: -1 }),
        fc.double({ noInteger: true }),
        fc.constantFrom(2 ** 53, '9007199254740993'),
        fc.string().filter((value) => !WHOLE_NUMBER.test(value)),
        structured,
      )),
    },
  );
}

/** Properties, some left out; `problems` names each property the handler must refuse. */
interface GeneratedProperties {
  readonly value: unknown;
  readonly problems: readonly string[];
  readonly isObject: boolean;
}

const propertiesArb: fc.Arbitrary<GeneratedProperties> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record(Object.fromEntries(PROPERTY_NAMES.map((name) => [
      name,
      // Required properties are left out now and then, optional ones half of the time.
      fc.option(PROPERTIES[name].arb, { nil: undefined, freq: PROPERTIES[name].required ? 15 : 2 }),
    ])) as Record<PropertyName, fc.Arbitrary<Tagged | undefined>>).chain((tagged) => fc.record({
      ServiceToken: fc.string(),
      RefreshNonce: fc.uuid(),
    }, { requiredKeys: [] }).map((ignored) => ({
      value: {
        ...ignored,
        ...Object.fromEntries(PROPERTY_NAMES.filter((name) => tagged[name] !== undefined)
          .map((name) => [name, tagged[name]!.value])),
      },
      problems: PROPERTY_NAMES.filter((name) =>
        tagged[name] === undefined ? PROPERTIES[name].required : !tagged[name]!.valid),
      isObject: true,
    }))),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.array(fc.anything()))
      .map((value) => ({ value, problems: ['ResourceProperties'], isObject: false })),
  },
);

/** Strings that are usable as text by the handler: anything else counts as missing. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const identityArb = fc.oneof(
  { weight: 20, arbitrary: fc.string({ minLength: 1 }) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom(undefined, '', null), fc.integer(), structured) },
);

/** A ResponseURL the handler may answer (a fresh one is made per run), or one it must refuse. */
type UrlChoice = { readonly answerable: true } | { readonly answerable: false; readonly value: unknown };

function isHttpUrl(value: unknown): boolean {
  try {
    return typeof value === 'string' && ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const urlArb: fc.Arbitrary<UrlChoice> = fc.oneof(
  { weight: 15, arbitrary: fc.constant({ answerable: true as const }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom('http://example.com/response', 'ftp://127.0.0.1/response', 'not a url', ''),
      fc.anything().filter((value) => !isHttpUrl(value)),
    ).map((value) => ({ answerable: false as const, value })),
  },
);

interface GeneratedEvent {
  /** Whether the event is an object at all; when not, `fields` is ignored and `other` is sent. */
  readonly shape: 'object' | 'other';
  readonly other: unknown;
  readonly url: UrlChoice;
  readonly fields: Record<string, unknown>;
  readonly properties: GeneratedProperties;
}

const eventArb: fc.Arbitrary<GeneratedEvent> = fc.record({
  shape: fc.oneof(
    { weight: 15, arbitrary: fc.constant('object' as const) },
    { weight: 1, arbitrary: fc.constant('other' as const) },
  ),
  other: fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.integer(), fc.array(fc.anything())),
  url: urlArb,
  fields: fc.record({
    RequestType: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('Create', 'Create', 'Update', 'Update', 'Delete') },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.constantFrom(undefined, 'create', 'DELETE', 'Update ', ''), fc.string(), fc.integer(), structured,
        ),
      },
    ),
    StackId: identityArb,
    RequestId: identityArb,
    LogicalResourceId: identityArb,
    PhysicalResourceId: fc.option(identityArb, { nil: undefined }),
    ResourceType: fc.string(),
    ServiceToken: fc.string(),
    OldResourceProperties: fc.option(fc.object({ maxDepth: 1 }), { nil: undefined }),
  }),
  properties: propertiesArb,
});

/** The event the handler receives, with a fresh answerable ResponseURL where the case calls for one. */
function buildEvent(generated: GeneratedEvent, responseUrl: string): unknown {
  if (generated.shape === 'other') {
    return generated.other;
  }
  // A field left out is absent, as in JSON, rather than present and undefined.
  const event = Object.fromEntries(Object.entries(generated.fields).filter(([, value]) => value !== undefined));
  const url = generated.url.answerable ? responseUrl : generated.url.value;
  if (url !== undefined) {
    event.ResponseURL = url;
  }
  if (generated.properties.value !== undefined) {
    event.ResourceProperties = generated.properties.value;
  }
  return event;
}

interface Expected {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly reasonContains: readonly string[];
  readonly data?: Record<string, unknown>;
  readonly callsApi: boolean;
}

/** What the contract says the handler answers, or `undefined` when it cannot answer at all. */
function expectedAnswer(generated: GeneratedEvent): Expected | undefined {
  if (generated.shape === 'other' || !generated.url.answerable) {
    return undefined;
  }
  const fields = generated.fields;
  const logicalId = text(fields.LogicalResourceId);
  const fallback = logicalId ? `WickrUsersCount:invalid:${logicalId}` : 'WickrUsersCount:invalid';
  const eventId = text(fields.PhysicalResourceId);
  const failedWith = (physicalResourceId: string, ...reasonContains: string[]): Expected =>
    ({ status: 'FAILED', physicalResourceId, reasonContains, callsApi: false });

  if (fields.RequestType === 'Delete') {
    return { status: 'SUCCESS', physicalResourceId: eventId ?? fallback, reasonContains: [], callsApi: false };
  }
  if (fields.RequestType !== 'Create' && fields.RequestType !== 'Update') {
    return failedWith(eventId ?? fallback, 'RequestType must be Create, Update or Delete');
  }
  const missing = ['StackId', 'RequestId', 'LogicalResourceId'].filter((name) => text(fields[name]) === undefined);
  if (missing.length > 0) {
    return failedWith(eventId ?? fallback, `is missing ${missing.join(', ')}`);
  }
  if (generated.properties.problems.length > 0) {
    const named = generated.properties.isObject ? generated.properties.problems : ['expected an object of properties'];
    return failedWith(eventId ?? fallback, 'Custom::WickrUsersCount properties are invalid:', ...named);
  }

  const properties = generated.properties.value as Record<string, unknown>;
  const physicalId = `WickrUsersCount:${properties.Region}:${properties.NetworkId}`;
  const flagOn = (name: string) => properties[name] === true || properties[name] === 'true';
  if (flagOn('UseFipsEndpoint') || flagOn('UseDualStackEndpoint')) {
    // The tests reach the emulator through AWS_ENDPOINT_URL_WICKR, which no FIPS or dual-stack host can combine with.
    return failedWith(eventId ?? physicalId, 'cannot be combined');
  }
  if (properties.NetworkId === UNKNOWN_NETWORK) {
    return { ...failedWith(eventId ?? physicalId, 'ResourceNotFoundError (HTTP 404'), callsApi: true };
  }

  const threshold = (name: string): number | undefined =>
    properties[name] === undefined || properties[name] === null ? undefined : Number(properties[name]);
  const checks = [
    [threshold('MinimumRemaining'), (n: number) => COUNTS.remaining >= n],
    [threshold('MaximumPending'), (n: number) => COUNTS.pending <= n],
    [threshold('MaximumActive'), (n: number) => COUNTS.active <= n],
    [threshold('MaximumTotal'), (n: number) => COUNTS.total <= n],
  ] as const;
  const set = checks.filter(([value]) => value !== undefined);
  if (set.length === 0) {
    return { status: 'SUCCESS', physicalResourceId: physicalId, reasonContains: [], data: DATA, callsApi: true };
  }
  const passed = set.every(([value, holds]) => holds(value!));
  if (!passed && properties.GuardMode !== 'WARN') {
    return { ...failedWith(eventId ?? physicalId, `Wickr network ${NETWORK_ID}`), callsApi: true };
  }
  return {
    status: 'SUCCESS',
    physicalResourceId: physicalId,
    reasonContains: [],
    data: {
      ...DATA,
      GuardPassed: String(passed),
      GuardMessage: expect.stringContaining(`Wickr network ${NETWORK_ID}`),
    },
    callsApi: true,
  };
}

interface Invocation {
  readonly result: unknown;
  /** The accepted answers to this event's ResponseURL. */
  readonly answers: Answer[];
  /** Every PUT the receiver got during the invocation, to any URL. */
  readonly puts: number;
  /** Every call the emulator got during the invocation. */
  readonly calls: number;
}

/** Runs the bundled handler on one event and returns what reached the ResponseURL and the emulator. */
async function invoke(event: unknown, name: string): Promise<Invocation> {
  const putsBefore = harness.receiver.requests.length;
  const callsBefore = harness.emulator.requests.length;
  const result = await output.during(() => harness.handler(event, lambdaContext(30_000)));
  const puts = harness.receiver.requests.slice(putsBefore);
  answerBodies.push(...puts.map((put) => put.body));
  return {
    result,
    answers: puts.filter((put) => put.path.endsWith(`/${name}`) && put.answeredWith === 200)
      .map((put) => JSON.parse(put.body) as Answer),
    puts: puts.length,
    calls: harness.emulator.requests.length - callsBefore,
  };
}

/** The contract's users count: a JSON object with the five counts as non-negative integers JavaScript holds exactly. */
function countsIn(body: string): Record<string, number> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return undefined;
  }
  const record = parsed as Record<string, unknown>;
  const valid = COUNT_FIELDS.every((field) => Number.isSafeInteger(record[field]) && (record[field] as number) >= 0);
  return valid ? Object.fromEntries(COUNT_FIELDS.map((field) => [field, record[field] as number])) : undefined;
}

const countsArb = fc.record(Object.fromEntries(COUNT_FIELDS.map((field) => [
  field,
  fc.oneof(fc.nat(1000), fc.maxSafeNat()),
])));
const wrongCountArb = fc.oneof(
  fc.string(), fc.integer({ max: -1 }), fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
  fc.constant(null), fc.boolean(), fc.array(fc.nat(), { maxLength: 2 }), fc.constantFrom(2 ** 53, 1e21, '5'),
);
const bodyArb = fc.oneof(
  countsArb.map((counts) => JSON.stringify(counts)),
  fc.tuple(countsArb, fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }))
    .map(([counts, extra]) => JSON.stringify({ ...extra, ...counts })),
  fc.tuple(countsArb, fc.constantFrom(...COUNT_FIELDS), wrongCountArb)
    .map(([counts, field, wrong]) => JSON.stringify({ ...counts, [field]: wrong })),
  fc.tuple(countsArb, fc.constantFrom(...COUNT_FIELDS)).map(([counts, field]) => {
    const { [field]: _dropped, ...rest } = counts;
    return JSON.stringify(rest);
  }),
  fc.json(),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);
const statusArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(200) },
  { weight: 2, arbitrary: fc.constantFrom(201, 204, 301, 400, 401, 403, 404, 409, 422) },
  { weight: 1, arbitrary: fc.constantFrom(...RETRYABLE) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
);

describe('the bundled handler on arbitrary input', () => {
  beforeEach(() => {
    harness.reset();
  });

  test('answers every event it can answer exactly once, as the contract says, and never throws', async () => {
    await fc.assert(fc.asyncProperty(eventArb, async (generated) => {
      // GIVEN
      runs += 1;
      const name = `event-${runs}`;
      const event = buildEvent(generated, presignedUrl(harness.receiver, name));
      const expected = expectedAnswer(generated);

      // WHEN
      const { result, answers, puts, calls } = await invoke(event, name);

      // THEN
      expect(result).toBeUndefined();
      if (expected === undefined) {
        expect({ puts, calls }).toEqual({ puts: 0, calls: 0 });
        return;
      }
      expect({ puts, answers: answers.length, calls })
        .toEqual({ puts: 1, answers: 1, calls: expected.callsApi ? 1 : 0 });
      const fields = generated.fields;
      expect(answers[0]).toEqual({
        Status: expected.status,
        PhysicalResourceId: expected.physicalResourceId,
        StackId: text(fields.StackId) ?? '',
        RequestId: text(fields.RequestId) ?? '',
        LogicalResourceId: text(fields.LogicalResourceId) ?? '',
        ...(expected.status === 'FAILED' ? { Reason: expect.any(String) } : {}),
        ...(expected.data ? { Data: expected.data } : {}),
      });
      for (const fragment of expected.reasonContains) {
        expect(answers[0].Reason).toContain(fragment);
      }
    }), { seed: EVENT_SEED, numRuns: EVENT_RUNS });
  });

  test('answers SUCCESS exactly when the API answered 200 with a valid users count, whatever it answered', async () => {
    await fc.assert(fc.asyncProperty(statusArb, bodyArb, async (status, body) => {
      // GIVEN the API answers every call with this status and body
      harness.emulator.clearFaults();
      harness.emulator.clearRequests();
      harness.emulator.injectFault({ kind: 'body', status, body }, { networkId: NETWORK_ID });
      const counts = status === 200 ? countsIn(body) : undefined;

      // WHEN the function has 4 s left, so a retryable answer is retried until the read's deadline 3 s in
      const deployment = await output.during(() => deploy(harness, {
        networkId: NETWORK_ID,
        timeoutSeconds: 5,
        remainingMs: 4000,
      }));
      answerBodies.push(...deployment.puts.map((put) => put.body));

      // THEN a retryable status was retried, anything else was not, and no call came after the deadline
      const calls = deployment.attempts.length;
      const readDeadline = deployment.contextEndsAt - 1000;
      expect({
        threw: deployment.threw,
        answers: deployment.answers.length,
        called: calls >= 1,
        retried: calls > 1,
        callsAfterTheDeadline: deployment.attempts.filter((call) => call.receivedAt > readDeadline).length,
      }).toEqual({
        threw: undefined,
        answers: 1,
        called: true,
        retried: RETRYABLE.has(status),
        callsAfterTheDeadline: 0,
      });
      const { Status, Data } = deployment.answers[0];
      expect({ Status, Data }).toEqual(counts
        ? {
          Status: 'SUCCESS',
          Data: {
            Pending: counts.pending,
            Active: counts.active,
            Rejected: counts.rejected,
            Remaining: counts.remaining,
            Total: counts.total,
          },
        }
        : { Status: 'FAILED', Data: undefined });
    }), { seed: BODY_SEED, numRuns: BODY_RUNS });
  });

  test('writes no credential and no presigned URL to stdout, stderr or the answers on arbitrary input', () => {
    // GIVEN both properties above captured their output
    expect(output.lineCount).toBeGreaterThan(EVENT_RUNS);

    // WHEN
    const leaks = findLeaks([output.text, ...answerBodies].join('\n'), secretsOf(harness.receiver));

    // THEN
    expect(leaks).toEqual([]);
  });
});
