/**
 * The watchdog answers when the work itself overruns, which the real client never does (it keeps its own
 * deadline), so this test runs the handler's sources with a client that takes too long.
 */
import { cloudFormationEvent, lambdaContext, LOCAL_STACK_ID, ResponseReceiver } from '../../emulator/cloudformation';
import { handler } from '../../lambda';
import { getUsersCount } from '../../lambda/wickr/client';

jest.mock('../../lambda/wickr/client', () => ({
  ...jest.requireActual('../../lambda/wickr/client'),
  getUsersCount: jest.fn(),
}));

const slowGetUsersCount = getUsersCount as jest.MockedFunction<typeof getUsersCount>;
let receiver: ResponseReceiver;

beforeAll(async () => {
  receiver = await ResponseReceiver.start();
});

afterAll(async () => {
  await receiver.stop();
});

test('answers FAILED once, shortly before the function would be stopped, and never again', async () => {
  // GIVEN a read that finishes only after the function's time is up
  let finished!: Promise<unknown>;
  slowGetUsersCount.mockImplementation(() => {
    finished = new Promise((resolve) => setTimeout(resolve, 2500))
      .then(() => ({ pending: 1, active: 1, rejected: 0, remaining: 1, total: 2 }));
    return finished as ReturnType<typeof getUsersCount>;
  });
  const event = cloudFormationEvent('Create', { NetworkId: '12345678', Region: 'us-east-1', TimeoutSeconds: '60' }, {
    responseUrl: receiver.responseUrl(),
  });
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

  try {
    // WHEN the function has 2 s left
    const contextEndsAt = Date.now() + 2000;
    await handler(event, lambdaContext(2000));
    const answeredBeforeTheReadEnded = receiver.requests.length;
    await finished;
    await new Promise((resolve) => setTimeout(resolve, 200));

    // THEN
    expect(answeredBeforeTheReadEnded).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].receivedAt).toBeLessThan(contextEndsAt);
    expect(JSON.parse(receiver.requests[0].body)).toStrictEqual({
      Status: 'FAILED',
      Reason: 'Custom::WickrUsersCount timed out after 1.8 s before the Wickr users count was read; the function was '
        + 'about to be stopped.',
      PhysicalResourceId: 'WickrUsersCount:us-east-1:12345678',
      StackId: LOCAL_STACK_ID,
      RequestId: event.RequestId,
      LogicalResourceId: 'WickrUsers',
    });
  } finally {
    write.mockRestore();
  }
});
