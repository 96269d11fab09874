import { COUNT_FIELDS, UsersCount } from './counts';
import { capitalize } from './errors';

export const METRIC_NAMESPACE = 'Wickr/Users';
export const METRIC_UNIT = 'Count';
export const METRIC_DIMENSION_NAMES = ['NetworkId', 'Region'] as const;

/**
 * The counts under their metric names (`remaining` is `Remaining`), which are also the names of the custom
 * resource's `Data`.
 */
export function metricValues(counts: UsersCount): Record<string, number> {
  return Object.fromEntries(COUNT_FIELDS.map((field) => [capitalize(field), counts[field]]));
}

export interface MetricSubject {
  readonly networkId: string;
  readonly region: string;
}

/**
 * One Embedded Metric Format record: CloudWatch Logs turns it into the five metrics, so publishing needs no
 * PutMetricData permission and no extra call. Printed as one line on its own, it must not carry a log prefix.
 */
export function formatMetricsLine(counts: UsersCount, subject: MetricSubject, timestamp: number = Date.now()): string {
  const values = metricValues(counts);
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{
        Namespace: METRIC_NAMESPACE,
        Dimensions: [METRIC_DIMENSION_NAMES],
        Metrics: Object.keys(values).map((name) => ({ Name: name, Unit: METRIC_UNIT })),
      }],
    },
    NetworkId: subject.networkId,
    Region: subject.region,
    ...values,
  });
}
