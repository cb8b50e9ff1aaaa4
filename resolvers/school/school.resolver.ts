import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { toAttendanceSubmission } from '../../adapters/feeds/school-mis.adapter';
import { BadUserInputError } from '../../src/errors';
import type { HubContext } from '../../src/server/context';
import { requireIsoDate } from '../../src/shared/validate';
import { PostSchoolAttendanceInput } from './school.input';
import { PersistentAbsenceIndicator, SchoolAttendanceReceipt, type PupilAttendanceReceipt } from './school.type';

@Resolver()
export class SchoolResolver {
  @Mutation(() => SchoolAttendanceReceipt, {
    description: 'A school (its MIS, or its staff) posts attendance and exclusions for pupils on its roll.',
  })
  async postSchoolAttendance(
    @Arg('input', () => PostSchoolAttendanceInput) input: PostSchoolAttendanceInput,
    @Ctx() ctx: HubContext,
  ): Promise<SchoolAttendanceReceipt> {
    const pupils = (await ctx.services.feeds.school.post(
      toAttendanceSubmission(input),
      ctx.caller,
      ctx.audit,
    )) as PupilAttendanceReceipt[];
    return {
      pupils,
      persistentAbsenceCount: pupils.filter((p) => p.persistentAbsence && p.status === 'APPLIED').length,
      heldForReview: pupils.filter((p) => p.status === 'HELD_FOR_REVIEW').length,
    };
  }

  @Query(() => PersistentAbsenceIndicator, {
    description: 'Persistent absence across the partnership for periods overlapping from–to (performance book).',
  })
  async persistentAbsence(
    @Arg('from', () => String) from: string,
    @Arg('to', () => String) to: string,
    @Ctx() ctx: HubContext,
  ): Promise<PersistentAbsenceIndicator> {
    requireIsoDate('from', from);
    requireIsoDate('to', to);
    if (to < from) throw new BadUserInputError('to', 'must not be before from');
    const counts = await ctx.services.feeds.school.counts(from, to);
    return { from, to, ...counts, rate: counts.pupils ? counts.persistentlyAbsent / counts.pupils : null };
  }
}
