export * from './auth.js';
export * from './boot.js';
export * from './bus.js';
export * from './errors.js';
export * from './health.js';
export * from './mount.js';
export * from './remotes.js';
export * from './roles.js';
