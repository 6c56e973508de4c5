// The lists the dashboard's filters and forms offer, so the browser never keeps its own copy.
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { MDT_DECISIONS, ROUTES, TUMOUR_SITES } from '../../vocabulary/events.ts';
import { LABELS } from '../../vocabulary/labels.ts';
import { FIT_THRESHOLD, SCREENING_PROGRAMMES, SUSPECTED_SITES } from '../../vocabulary/timed-pathways.ts';
import { BANDS, NO_PROVIDER } from '../../cwt/backlog.ts';
import { OPEN_STAGES } from '../../../machines/referral.ts';
import type { Store } from '../../store/store.ts';
import { feature, type ApiContext } from '../route.ts';

const vocabularyAnswer = z.object({
  tumourSites: z.array(z.enum(TUMOUR_SITES)),
  routes: z.array(z.enum(ROUTES)),
  stages: z.array(z.string()),
  bands: z.array(z.enum(BANDS)),
  // workspace (#15)
  providers: z.array(z.string()).describe('providers of the open pathways'),
  mdtDecisions: z.array(z.enum(MDT_DECISIONS)),
  labels: z
    .object({
      events: z.record(z.string(), z.string()),
      fields: z.record(z.string(), z.string()),
      on: z.record(z.string(), z.string()),
      stages: z.record(z.string(), z.string()),
      values: z.record(z.string(), z.string()),
      clocks: z.record(z.string(), z.string()),
    })
    .describe('words for every code'),
  trustName: z.string().nullable(),
  // issue #26
  suspectedSites: z.record(z.string(), z.string()).describe('suspected sites, each with the tumour site it is within'),
  screeningProgrammes: z.array(z.enum(SCREENING_PROGRAMMES)),
  fitThreshold: z.number().describe('FIT micrograms of haemoglobin per gram at which a referral is urgent (NICE DG56)'),
});

export const vocabulary = feature(
  {
    vocabulary: {
      method: 'get',
      path: '/api/vocabulary',
      summary: 'The lists the filters offer: tumour sites, routes, stages, bands',
      allow: 'signed_in',
      scope: 'aggregate',
      ok: { status: 200, description: 'the lists', schema: vocabularyAnswer },
      errors: [401, 403],
    },
  },
  ({
    store: { backlog, settings },
    clock,
  }: { store: Pick<Store, 'backlog' | 'settings'> } & Pick<ApiContext, 'clock'>) => ({
    vocabulary: ({ user }) => ({
      tumourSites: [...TUMOUR_SITES],
      routes: [...ROUTES],
      stages: [...OPEN_STAGES],
      bands: [...BANDS],
      // workspace (#15): the providers present, the MDT's outcomes, words for every code, the trust's name
      // A scoped user's filters offer their own providers (issue #25).
      providers:
        user.providers ?? Object.keys(backlog.current(today(clock)).byProvider).filter((p) => p !== NO_PROVIDER),
      mdtDecisions: [...MDT_DECISIONS],
      labels: LABELS,
      trustName: settings.get('trustName'),
      suspectedSites: { ...SUSPECTED_SITES },
      screeningProgrammes: [...SCREENING_PROGRAMMES],
      fitThreshold: FIT_THRESHOLD,
    }),
  }),
);
