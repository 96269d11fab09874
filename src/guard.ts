/**
 * What a failed capacity condition does to the deployment.
 */
export enum GuardMode {
  /**
   * A failed condition fails the custom resource, so CloudFormation rolls the deployment back.
   */
  ENFORCE = 'ENFORCE',

  /**
   * A failed condition is only reported in `guardPassed` and `guardMessage`; the deployment goes on.
   */
  WARN = 'WARN',
}
