export * from './types.js';
export * from './catalogue.js';
export * from './default-models.js';
export * from './compute-score.js';
export * from './model-schema.js';
export * from './trend.js';
export * from './suggest-actions.js';
export * from './roc-auc.js';
