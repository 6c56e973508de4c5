// The PAS feed's retention (issue #25): a message that matched no open pathway (most of what a
// hospital's PAS sends is about patients with no cancer pathway: addresses, telephone numbers, next
// of kin) is kept verbatim for the trust's number of days (`openptl settings --hl7-keep-days`,
// default 30), then purged to its header and the hash of its text (store/inbox.ts). Run hourly by
// the server and by `openptl hl7 purge`; each purge that removes anything is in the access log.
import type { Store } from '../store/store.ts';

export interface Purged {
  /** Messages purged now. */
  purged: number;
  /** Those received before this were due. */
  before: string;
  keepDays: number;
}

export function purgeKeptMessages(
  { inbox, settings, access, clock }: Pick<Store, 'inbox' | 'settings' | 'access' | 'clock'>,
  actor: string,
): Purged {
  const keepDays = settings.number('hl7KeepDays');
  const now = clock.now();
  const before = new Date(now.getTime() - keepDays * 86_400_000).toISOString();
  const purged = inbox.purge(before, now.toISOString());
  if (purged > 0) access.record({ actor, action: 'messages_purged', detail: { purged, before, keepDays } });
  return { purged, before, keepDays };
}
