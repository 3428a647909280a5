export * from './batch.js';
export * from './models.js';
export * from './task.js';
export * from './recipes.js';
