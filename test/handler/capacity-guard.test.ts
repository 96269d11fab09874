import { DATA, harnessForEachTest, Invocation, metricRecords, PHYSICAL_ID, PROPERTIES } from './harness';
import { LOCAL_STACK_ID } from '../../emulator/cloudformation';

// The emulator's network has 5 pending, 40 active, 2 rejected, 10 remaining and 45 in total.
const harness = harnessForEachTest();

function answer(invocation: Invocation, fields: Record<string, unknown>) {
  return {
    PhysicalResourceId: PHYSICAL_ID,
    StackId: LOCAL_STACK_ID,
    RequestId: invocation.event.RequestId,
    LogicalResourceId: 'WickrUsers',
    ...fields,
  };
}

describe('the capacity guard', () => {
  test('fails a Create below the floor, naming the network and both numbers', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, MinimumRemaining: '11', GuardMode: 'ENFORCE' });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(answer(invocation, {
      Status: 'FAILED',
      Reason: 'Wickr network 12345678 (us-east-1) has 10 users remaining; this stack requires at least 11.',
    }));
    expect(metricRecords(invocation.lines)).toHaveLength(1);
  });

  test('enforces when GuardMode is not given', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, MaximumActive: '39' });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(answer(invocation, {
      Status: 'FAILED',
      Reason: 'Wickr network 12345678 (us-east-1) has 40 active users; this stack allows at most 39.',
    }));
  });

  test('passes exactly at the threshold and says what was checked', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', {
      ...PROPERTIES,
      MinimumRemaining: '10',
      MaximumPending: '5',
      MaximumActive: '40',
      MaximumTotal: '45',
      GuardMode: 'ENFORCE',
    });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(answer(invocation, {
      Status: 'SUCCESS',
      Data: {
        ...DATA,
        GuardPassed: 'true',
        GuardMessage: 'Wickr network 12345678 (us-east-1) passed the capacity check: 10 users remaining (at least 10 '
          + 'required), 5 pending users (at most 5 allowed), 40 active users (at most 40 allowed), 45 users in total '
          + '(at most 45 allowed).',
      },
    }));
  });

  test('passes with room to spare and still returns the counts', async () => {
    // WHEN
    const properties = { ...PROPERTIES, MinimumRemaining: 3, MaximumTotal: 100, GuardMode: 'ENFORCE' };
    const invocation = await harness().invoke('Create', properties);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(answer(invocation, {
      Status: 'SUCCESS',
      Data: {
        ...DATA,
        GuardPassed: 'true',
        GuardMessage: 'Wickr network 12345678 (us-east-1) passed the capacity check: 10 users remaining (at least 3 '
          + 'required), 45 users in total (at most 100 allowed).',
      },
    }));
  });

  test('checks an Update, keeping the physical id when it fails', async () => {
    // WHEN
    const invocation = await harness().invoke('Update', { ...PROPERTIES, MaximumPending: '4', GuardMode: 'ENFORCE' }, {
      physicalResourceId: PHYSICAL_ID,
      oldProperties: PROPERTIES,
    });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(answer(invocation, {
      Status: 'FAILED',
      Reason: 'Wickr network 12345678 (us-east-1) has 5 pending users; this stack allows at most 4.',
    }));
  });

  test('never blocks a Delete', async () => {
    // WHEN
    const properties = { ...PROPERTIES, MinimumRemaining: '1000', GuardMode: 'ENFORCE' };
    const invocation = await harness().invoke('Delete', properties, { physicalResourceId: PHYSICAL_ID });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(answer(invocation, { Status: 'SUCCESS' }));
    expect(harness().emulator.requests).toEqual([]);
  });

  test('succeeds in WARN mode with GuardPassed "false" and every failed condition', async () => {
    // WHEN
    const properties = { ...PROPERTIES, MinimumRemaining: '11', MaximumPending: '4', GuardMode: 'WARN' };
    const invocation = await harness().invoke('Create', properties);

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(answer(invocation, {
      Status: 'SUCCESS',
      Data: {
        ...DATA,
        GuardPassed: 'false',
        GuardMessage: 'Wickr network 12345678 (us-east-1) has 10 users remaining; this stack requires at least 11. '
          + 'Wickr network 12345678 (us-east-1) has 5 pending users; this stack allows at most 4.',
      },
    }));
  });

  test('leaves GuardPassed and GuardMessage out when no condition is set, whatever GuardMode says', async () => {
    // WHEN
    const invocation = await harness().invoke('Create', { ...PROPERTIES, GuardMode: 'WARN' });

    // THEN
    expect(harness().onlyResponse()).toStrictEqual(answer(invocation, { Status: 'SUCCESS', Data: DATA }));
  });
});
