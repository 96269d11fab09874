import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

/**
 * The period of the metrics when neither the caller nor a rate schedule says otherwise.
 */
export const DEFAULT_PERIOD = Duration.hours(1);

/**
 * The interval between two scheduled reads, when the schedule says it plainly (`Schedule.rate`). A cron expression
 * or a rate only known at deployment has no single interval: the caller gets `undefined`.
 */
export function scheduleInterval(schedule: events.Schedule): Duration | undefined {
  if (Token.isUnresolved(schedule.expressionString)) {
    return undefined;
  }

  const match = RATE.exec(schedule.expressionString);
  if (!match) {
    return undefined;
  }

  const amount = Number(match[1]);
  if (match[2].startsWith('minute')) {
    return Duration.minutes(amount);
  }
  if (match[2].startsWith('hour')) {
    return Duration.hours(amount);
  }
  return Duration.days(amount);
}
