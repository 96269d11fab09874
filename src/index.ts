export * from './guard';
export * from './wickr-users-count';
