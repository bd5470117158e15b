export * from './types.js';
export * from './guards.js';
export * from './tables.js';
export * from './engine.js';
export * from './permissions.js';
export * from './language-names.js';
