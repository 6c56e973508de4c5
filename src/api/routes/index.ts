// Every feature of the HTTP API, in the order the app registers them, and every route as data (the
// OpenAPI document and the tests read it).
import type { ApiContext, Feature, RouteSpec } from '../route.ts';
import { assignments } from './assignments.ts';
import { audit } from './audit.ts';
import { backlog } from './backlog.ts';
import { health } from './health.ts';
import { inbox } from './inbox.ts';
import { inequalities } from './inequalities.ts';
import { inboxLinks } from './inbox-links.ts';
import { mdt } from './mdt.ts';
import { pathways } from './pathways.ts';
import { ptl } from './ptl.ts';
import { report } from './report.ts';
import { returns } from './returns.ts';
import { search } from './search.ts';
import { session } from './session.ts';
import { timedPathways } from './timed-pathways.ts';
import { users } from './users.ts';
import { vocabulary } from './vocabulary.ts';
import { forecast } from './forecast.ts';
import { settings } from './settings.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each feature names its own routes
export const FEATURES: Feature<any, ApiContext>[] = [
  health,
  vocabulary,
  session,
  pathways,
  ptl,
  backlog,
  users,
  audit,
  search,
  assignments,
  report,
  mdt,
  returns,
  inbox,
  timedPathways, // issue #26
  forecast,
  settings,
  inequalities, // issue #27
  inboxLinks, // issue #28
];

/** Every route, by name. */
export const API: Record<string, RouteSpec> = Object.assign({}, ...FEATURES.map((f) => f.routes));
