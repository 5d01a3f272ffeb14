/**
 * Circulars (通知/公文): event schemas, read/acknowledgment aggregation, targeting, fan-out,
 * reports and inbox helpers. Pure TypeScript; the renderer's adapter maps Matrix events to and from
 * these plain types.
 */
export * from './types';
export * from './parse-result';
export * from './text';
export * from './circular-schema';
export * from './circular-fallback';
export * from './circular-content';
export * from './ack';
export * from './reminder';
export * from './aggregate';
export * from './unit-index';
export * from './rollup';
export * from './targeting';
export * from './fan-out';
export * from './export-table';
export * from './csv';
export * from './inbox';
