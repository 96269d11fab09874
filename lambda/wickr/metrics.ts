import { COUNT_FIELDS, UsersCount } from './counts';
import { capitalize } from './errors';

export const METRIC_NAMESPACE = 'Wickr/Users';
export const METRIC_UNIT = 'Count';
export const METRIC_DIMENSION_NAMES = ['NetworkId', 'Region'] as const;

/** The CloudWatch metric name of a count: `remaining` is `Remaining`. */
export function metricName(field: keyof UsersCount): string {
  return capitalize(field);
}

/** The counts under their metric names, which are also the names of the custom resource's `Data`. */
export function metricValues(counts: UsersCount): Record<string, number> {
  return Object.fromEntries(COUNT_FIELDS.map((field) => [metricName(field), counts[field]]));
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
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{
        Namespace: METRIC_NAMESPACE,
        Dimensions: [METRIC_DIMENSION_NAMES],
        Metrics: COUNT_FIELDS.map((field) => ({ Name: metricName(field), Unit: METRIC_UNIT })),
      }],
    },
    NetworkId: subject.networkId,
    Region: subject.region,
    ...metricValues(counts),
  });
}
