import { registerEnumType } from 'type-graphql';

import { CLUSTERS, type Cluster as ClusterValue } from '../../schema/tables/core';
import { enumOf } from './enum-of';

/** The partnership's six Early Help clusters (schema/tables/core.ts `CLUSTERS`). Shared: register once. */
export const Cluster = enumOf(CLUSTERS);
export type Cluster = ClusterValue;
registerEnumType(Cluster, { name: 'Cluster', description: "One of the partnership's six Early Help clusters." });
