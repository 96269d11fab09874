export * from './client';
export * from './counts';
export * from './endpoint';
export * from './errors';
export * from './guard';
export * from './metrics';
