export * from './audit-log.js';
export * from './client-reports.js';
export * from './sessions.js';
export * from './users.js';
