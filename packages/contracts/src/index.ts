export * from './auth';
export * from './config';
export * from './errors';
export * from './queues';
export * from './tenants';
export * from './config-changes';
export * from './budgets';
export * from './admin';
