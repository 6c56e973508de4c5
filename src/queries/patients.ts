// Finding patients: by NHS number or name (the search terms), and the open pathways a new referral
// may duplicate. Each joins the search read model with the pathway rows.
import type { IsoDate } from '../vocabulary/calendar.ts';
import type { PathwayRow } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';
import { SEARCH_LIMIT } from '../store/search.ts';
import type { Scope } from '../auth/roles.ts';

export type PatientModels = Pick<Store, 'search' | 'rows'>;

/** Open pathways with this NHS number and tumour site: a new referral for them may be a duplicate. */
export function openDuplicatesOf(
  { search, rows }: PatientModels,
  nhsNumber: string,
  tumourSite: string,
): { pathwayId: string; referralOn: IsoDate; stage: string }[] {
  return search
    .byNhsNumber(nhsNumber)
    .map((id) => rows.get(id)!)
    .filter((row) => row && row.status === 'open' && row.tumour_site === tumourSite)
    .map((row) => ({ pathwayId: row.pathway_id, referralOn: row.referral_on, stage: row.stage }));
}

/**
 * Patients found by NHS number or name, open pathways first, latest referral first, within the
 * user's scope; at most SEARCH_LIMIT, and `more` when there were others (narrow the search).
 */
export function searchPathways({ search, rows }: PatientModels, query: string, scope: Scope = null) {
  const ids = search.find(query, SEARCH_LIMIT + 1, scope);
  const results = ids
    .slice(0, SEARCH_LIMIT)
    .map((id) => rows.get(id))
    .filter((row): row is PathwayRow => row !== undefined)
    .map((row) => ({
      pathwayId: row.pathway_id,
      nhsNumber: row.nhs_number,
      patientName: row.patient_name,
      dateOfBirth: row.date_of_birth,
      tumourSite: row.tumour_site,
      stage: row.stage,
      status: row.status,
      referralOn: row.referral_on,
      provider: row.provider,
    }));
  return { results, more: ids.length > SEARCH_LIMIT };
}
