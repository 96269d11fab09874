import { partitionOf, resolveEndpoint } from '../../lambda/wickr/endpoint';

const NO_OVERRIDES = {};

describe('resolveEndpoint', () => {
  test.each([
    ['us-east-1', false, false, 'https://admin.wickr.us-east-1.amazonaws.com'],
    ['ap-southeast-5', false, false, 'https://admin.wickr.ap-southeast-5.amazonaws.com'],
    ['us-east-1', true, false, 'https://admin.wickr-fips.us-east-1.amazonaws.com'],
    ['us-east-1', false, true, 'https://admin.wickr.us-east-1.api.aws'],
    ['us-east-1', true, true, 'https://admin.wickr-fips.us-east-1.api.aws'],
    ['cn-north-1', false, false, 'https://admin.wickr.cn-north-1.amazonaws.com.cn'],
    ['cn-northwest-1', false, true, 'https://admin.wickr.cn-northwest-1.api.amazonwebservices.com.cn'],
    ['us-gov-west-1', false, false, 'https://admin.wickr.us-gov-west-1.amazonaws.com'],
    ['us-gov-west-1', true, false, 'https://admin.wickr-fips.us-gov-west-1.amazonaws.com'],
    ['us-gov-east-1', true, true, 'https://admin.wickr-fips.us-gov-east-1.api.aws'],
    ['us-iso-east-1', false, false, 'https://admin.wickr.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', false, false, 'https://admin.wickr.us-isob-east-1.sc2s.sgov.gov'],
    ['eu-isoe-west-1', false, false, 'https://admin.wickr.eu-isoe-west-1.cloud.adc-e.uk'],
    ['us-isof-south-1', false, false, 'https://admin.wickr.us-isof-south-1.csp.hci.ic.gov'],
    ['eusc-de-east-1', false, false, 'https://admin.wickr.eusc-de-east-1.amazonaws.eu'],
    // A region newer than the partition table falls back to the commercial partition, as the AWS SDKs do.
    ['xy-newplace-1', false, false, 'https://admin.wickr.xy-newplace-1.amazonaws.com'],
  ])('builds the host for %s (FIPS %s, dual-stack %s)', (region, useFips, useDualStack, expected) => {
    // GIVEN no endpoint override
    // WHEN
    const endpoint = resolveEndpoint({ region, useFips, useDualStack, env: NO_OVERRIDES });

    // THEN
    expect(endpoint).toEqual({ url: expected, source: 'rules' });
  });

  test('prefers AWS_ENDPOINT_URL_WICKR over AWS_ENDPOINT_URL', () => {
    // GIVEN
    const env = { AWS_ENDPOINT_URL: 'https://general.example.com', AWS_ENDPOINT_URL_WICKR: 'http://127.0.0.1:4566/' };

    // WHEN
    const endpoint = resolveEndpoint({ region: 'us-east-1', env });

    // THEN
    expect(endpoint).toEqual({ url: 'http://127.0.0.1:4566', source: 'AWS_ENDPOINT_URL_WICKR' });
  });

  test('uses AWS_ENDPOINT_URL when no service-specific override is set, keeping its path', () => {
    // GIVEN
    const env = { AWS_ENDPOINT_URL: 'https://proxy.example.com/wickr/' };

    // WHEN
    const endpoint = resolveEndpoint({ region: 'eu-central-1', env });

    // THEN
    expect(endpoint).toEqual({ url: 'https://proxy.example.com/wickr', source: 'AWS_ENDPOINT_URL' });
  });

  test('ignores an override variable that is set but empty', () => {
    // GIVEN
    const env = { AWS_ENDPOINT_URL_WICKR: '', AWS_ENDPOINT_URL: 'https://general.example.com' };

    // WHEN
    const endpoint = resolveEndpoint({ region: 'us-east-1', env });

    // THEN
    expect(endpoint).toEqual({ url: 'https://general.example.com', source: 'AWS_ENDPOINT_URL' });
  });

  test('reads process.env at call time, not when the module was loaded', () => {
    // GIVEN
    const saved = process.env.AWS_ENDPOINT_URL_WICKR;
    process.env.AWS_ENDPOINT_URL_WICKR = 'http://127.0.0.1:9999';
    try {
      // WHEN
      const endpoint = resolveEndpoint({ region: 'us-east-1' });

      // THEN
      expect(endpoint.url).toBe('http://127.0.0.1:9999');
    } finally {
      if (saved === undefined) {
        delete process.env.AWS_ENDPOINT_URL_WICKR;
      } else {
        process.env.AWS_ENDPOINT_URL_WICKR = saved;
      }
    }
  });

  test('fails when FIPS is combined with an endpoint override', () => {
    // GIVEN
    const env = { AWS_ENDPOINT_URL_WICKR: 'http://127.0.0.1:4566' };

    // WHEN / THEN
    expect(() => resolveEndpoint({ region: 'us-east-1', useFips: true, env })).toThrow(
      'FIPS and a custom endpoint (AWS_ENDPOINT_URL_WICKR) cannot be combined; unset one of them.',
    );
  });

  test('fails when dual-stack is combined with an endpoint override', () => {
    // GIVEN
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };

    // WHEN / THEN
    expect(() => resolveEndpoint({ region: 'us-east-1', useDualStack: true, env })).toThrow(
      'Dual-stack and a custom endpoint (AWS_ENDPOINT_URL) cannot be combined; unset one of them.',
    );
  });

  test('fails when the override is not an http or https URL', () => {
    // GIVEN
    const env = { AWS_ENDPOINT_URL_WICKR: 'ftp://127.0.0.1' };

    // WHEN / THEN
    expect(() => resolveEndpoint({ region: 'us-east-1', env })).toThrow(
      'AWS_ENDPOINT_URL_WICKR must be an http or https URL, got "ftp://127.0.0.1".',
    );
  });

  test.each(['US-EAST-1', 'us-east', 'useast1', 'us-east-1.evil.com', 'us east 1', ''])(
    'fails when the region is shaped like %j',
    (region) => {
      // WHEN / THEN
      expect(() => resolveEndpoint({ region, env: NO_OVERRIDES })).toThrow(
        `Region must look like "us-east-1", got ${JSON.stringify(region)}.`,
      );
    },
  );
});

describe('partitionOf', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-west-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-east-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('puts %s in %s', (region, partition) => {
    // WHEN / THEN
    expect(partitionOf(region).name).toBe(partition);
  });
});
