// Providers and their sites by name (issue #28): a person reads "Mid and South Essex NHS Foundation
// Trust", not RAJ. The names shipped are the national ones (the NHS Organisation Data Service) for
// the codes the demo uses; a trust sets its own (the settings `providerNames` and `sites`, admin API
// POST /api/settings/names), which take precedence. A code with no name is shown as it is.

/** ODS organisation names of the demo's providers: the mid and south Essex group and two tertiary centres. */
export const ODS_PROVIDER_NAMES: Readonly<Record<string, string>> = {
  RAJ: 'Mid and South Essex NHS Foundation Trust',
  RQ8: 'Mid Essex Hospital Services NHS Trust',
  RDD: 'Basildon and Thurrock University Hospitals NHS Foundation Trust',
  RGT: 'Cambridge University Hospitals NHS Foundation Trust',
  RAL: 'Royal Free London NHS Foundation Trust',
};

/** ODS site names of the demo's sites (5-character site codes; one the ODS name could not be confirmed for is left out). */
export const ODS_SITE_NAMES: Readonly<Record<string, string>> = {
  RAJ01: 'Southend University Hospital',
  RQ801: 'Broomfield Hospital',
  RDD01: 'Basildon University Hospital',
  RGT01: "Addenbrooke's Hospital",
  RAL01: 'Royal Free Hospital',
};

/** A trust's names over the national ones: what it sets wins, code by code. */
export function namesWith(
  national: Readonly<Record<string, string>>,
  trust: Readonly<Record<string, string>> | null,
): Record<string, string> {
  return { ...national, ...(trust ?? {}) };
}
