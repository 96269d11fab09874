import { findLeaks, OutputCapture } from './output';

describe('OutputCapture', () => {
  test('captures stdout, stderr and every console method, and restores them afterwards', async () => {
    // GIVEN
    const output = new OutputCapture();
    const streams = [process.stdout.write, process.stderr.write, console.log, console.error];

    // WHEN
    await output.during(async () => {
      process.stdout.write('to stdout\n');
      process.stderr.write(Buffer.from('to stderr\n'));
      await output.during(async () => console.log('nested', 1));
      console.info('info');
      console.warn('warn');
      console.error('error');
      console.debug('debug');
    });

    // THEN
    expect(output.text).toBe('to stdout\nto stderr\nnested 1\ninfo\nwarn\nerror\ndebug\n');
    expect(output.lineCount).toBe(7);
    expect([process.stdout.write, process.stderr.write, console.log, console.error]).toEqual(streams);
  });

  test('restores the streams when the action fails', async () => {
    // GIVEN
    const output = new OutputCapture();
    const write = process.stdout.write;

    // WHEN
    const run = output.during(async () => {
      throw new Error('boom');
    });

    // THEN
    await expect(run).rejects.toThrow('boom');
    expect(process.stdout.write).toBe(write);
  });
});

describe('findLeaks', () => {
  const secrets = [
    { name: 'the secret access key', value: 'wJalrXUtnFEMI/K7MDENG' },
    { name: 'the ResponseURL credential', value: 'ASIA/20250101/us-east-1/s3/aws4_request' },
  ];

  test('names a secret written as is, or URL-encoded as a presigned URL carries it', () => {
    // GIVEN
    const text = '{"key":"wJalrXUtnFEMI/K7MDENG"} https://x/y?a=ASIA%2F20250101%2Fus-east-1%2Fs3%2Faws4_request';

    // WHEN / THEN
    expect(findLeaks(text, secrets)).toEqual(['the secret access key', 'the ResponseURL credential']);
  });

  test('names presigned query parameters in any case, even without their values', () => {
    expect(findLeaks('url=https://bucket/key?x-amz-signature=&X-Amz-Credential&X-AMZ-SECURITY-TOKEN', secrets))
      .toEqual(['X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token']);
  });

  test('finds nothing in a URL reduced to its origin and path', () => {
    expect(findLeaks('{"url":"https://bucket.s3.amazonaws.com/arn%3Aaws/request"}', secrets)).toEqual([]);
  });
});
