/** Every drizzle table of the hub; each module's tables live in their own file under tables/. */
export * from './tables/core';
export * from './tables/consent';
export * from './tables/audit';
export * from './tables/retention';
export * from './tables/events';
export * from './tables/workflow';
export * from './tables/outbox';
export * from './tables/feeds';
export * from './tables/revocations';
export * from './tables/missing';
export * from './tables/outcomes';
export * from './tables/family-plan';
export * from './tables/directory';
export * from './tables/priority-list';
export * from './tables/qa-audits';
export * from './tables/performance-book';
export * from './tables/admin-changes';
