/**
 * Directory and signposting: organisations publish their Early Help offer and
 * name a Designated Lead for Safeguarding and Early Help (the partnership pledge); the six locality
 * Advice Points with their contact details; signposts from a declined referral or a closure to
 * directory entries, recorded on the case; and Advice Point contacts — low-level advice without a
 * case — counted, never linked to a child.
 */
import { date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { children, organisations } from './core';

export const directoryEntries = pgTable(
  'directory_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** offer | advice_point */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    /** universal | targeted | single_agency */
    level: text('level').notNull(),
    /** The locality served; null for city-wide offers. */
    cluster: text('cluster'),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    openingHours: text('opening_hours'),
    designatedLeadName: text('designated_lead_name'),
    designatedLeadEmail: text('designated_lead_email'),
    designatedLeadPhone: text('designated_lead_phone'),
    publishedBySubject: text('published_by_subject').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('directory_entries_kind_idx').on(t.kind, t.cluster)],
);

export const caseSignposts = pgTable(
  'case_signposts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => directoryEntries.id),
    /** declined_referral | closure */
    context: text('context').notNull(),
    referralId: uuid('referral_id'),
    ehaId: uuid('eha_id'),
    signpostedOn: date('signposted_on', { mode: 'string' }).notNull(),
    recordedBySubject: text('recorded_by_subject').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('case_signposts_child_idx').on(t.childId),
    index('case_signposts_entry_idx').on(t.entryId, t.signpostedOn),
  ],
);

/** One row per contact, with no child or family identity: counted, not case-recorded. */
export const advicePointContacts = pgTable(
  'advice_point_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    advicePointId: uuid('advice_point_id')
      .notNull()
      .references(() => directoryEntries.id),
    contactedOn: date('contacted_on', { mode: 'string' }).notNull(),
    /** A headline outcome area (src/workflow/needs.ts) or `other`. */
    topic: text('topic').notNull(),
    /** drop_in | phone | email */
    channel: text('channel').notNull(),
    recordedBySubject: text('recorded_by_subject').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('advice_point_contacts_idx').on(t.advicePointId, t.contactedOn)],
);
