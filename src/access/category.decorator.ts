/**
 * Tags GraphQL fields and types with the ISA data model. `@Category('health')` on a field of a
 * `@ChildData()` type makes the category guard decide access before the field resolves, and shows
 * the category in the emitted SDL (`@category(name: health)`) so partners see it in the contract.
 */
import { Directive, Extensions } from 'type-graphql';
import type { DataCategory } from './categories';

export const CATEGORY_EXTENSION = 'dataCategory';
export const CHILD_DATA_EXTENSION = 'childData';

export function Category(category: DataCategory): MethodDecorator & PropertyDecorator {
  const extensions = Extensions({ [CATEGORY_EXTENSION]: category });
  const directive = Directive(`@category(name: "${category}")`);
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    extensions(target, key, descriptor!);
    directive(target, key, descriptor!);
  };
}

/**
 * Marks an object type whose source objects carry a child's data. Their source objects must have
 * a `childId`; every field except `id` and `childId` must carry a `@Category`.
 */
export function ChildData(): ClassDecorator {
  return Extensions({ [CHILD_DATA_EXTENSION]: true }) as ClassDecorator;
}

export const RECORD_CATEGORIES_EXTENSION = 'gatedByRecordCategories';

/**
 * For a field whose category is not fixed but is the set of categories its record touched (a case
 * event's kind and changed fields reveal police data when the event was a police notification):
 * the resolver discloses it only when the caller may read every one of the record's categories.
 */
export function GatedByRecordCategories(): MethodDecorator & PropertyDecorator {
  return Extensions({ [RECORD_CATEGORIES_EXTENSION]: true }) as MethodDecorator & PropertyDecorator;
}
