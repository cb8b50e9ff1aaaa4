/** The Information Sharing Agreement's data categories (the ISA grid is in docs/permissions.md). */
export const DATA_CATEGORIES = [
  'identity',
  'identifiers',
  'contact',
  'education',
  'health',
  'police',
  'social_care',
  'early_help',
  'family',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export function isDataCategory(value: unknown): value is DataCategory {
  return typeof value === 'string' && (DATA_CATEGORIES as readonly string[]).includes(value);
}
