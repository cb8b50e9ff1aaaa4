import { involvementKind } from '../../schema';

export type InvolvementKind = (typeof involvementKind.enumValues)[number];
