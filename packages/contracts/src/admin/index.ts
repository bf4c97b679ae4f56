/** Shapes of the control-plane API (/admin/*): zod input schemas and output types, shared with the dashboard. */
export * from './common';
export * from './tenants';
export * from './members';
export * from './api-keys';
export * from './providers';
export * from './catalogue';
export * from './quotas';
export * from './approvals';
export * from './analytics';
export * from './logs';
export * from './settings';
export * from './users';
export * from './prompts';
