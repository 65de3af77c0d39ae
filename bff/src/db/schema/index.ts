export * from './audit-log.js';
export * from './chats.js';
export * from './client-reports.js';
export * from './events.js';
export * from './registry.js';
export * from './sessions.js';
export * from './users.js';
