import { COUNT_FIELDS, UsersCount } from './counts';

export const METRIC_NAMESPACE = 'Wickr/Users';
export const METRIC_UNIT = 'Count';
export const METRIC_DIMENSION_NAMES = ['NetworkId', 'Region'] as const;

/** The CloudWatch metric name of each count. */
export const METRIC_NAMES: Readonly<Record<keyof UsersCount, string>> = {
  pending: 'Pending',
  active: 'Active',
  rejected: 'Rejected',
  remaining: 'Remaining',
  total: 'Total',
};

export interface MetricSubject {
  readonly networkId: string;
  readonly region: string;
}

/**
 * One Embedded Metric Format record: CloudWatch Logs turns it into the five metrics, so publishing needs no
 * PutMetricData permission and no extra call. Printed as one line on its own, it must not carry a log prefix.
 */
export function formatMetricsLine(counts: UsersCount, subject: MetricSubject, timestamp: number = Date.now()): string {
  const values = Object.fromEntries(COUNT_FIELDS.map((field) => [METRIC_NAMES[field], counts[field]]));
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{
        Namespace: METRIC_NAMESPACE,
        Dimensions: [[...METRIC_DIMENSION_NAMES]],
        Metrics: COUNT_FIELDS.map((field) => ({ Name: METRIC_NAMES[field], Unit: METRIC_UNIT })),
      }],
    },
    NetworkId: subject.networkId,
    Region: subject.region,
    ...values,
  });
}
