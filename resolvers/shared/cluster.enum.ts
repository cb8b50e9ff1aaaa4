import { registerEnumType } from 'type-graphql';

/** The partnership's six Early Help clusters (schema/tables/core.ts `cluster`). Shared: register once. */
export enum Cluster {
  north_west = 'north_west',
  north = 'north',
  west = 'west',
  east = 'east',
  central = 'central',
  south = 'south',
}
registerEnumType(Cluster, { name: 'Cluster', description: 'One of the partnership\'s six Early Help clusters.' });
