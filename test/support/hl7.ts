// HL7 v2 messages for tests, written as a PAS sends them (segments separated by CR).

export interface MessageSpec {
  /** code^trigger, e.g. SIU^S12 */
  type: string;
  id: string;
  app?: string;
  /** MSH-7, YYYYMMDDHHMM */
  sent?: string;
  nhs?: string | null;
  local?: string | null;
  /** FAMILY^Given */
  name?: string;
  dob?: string;
  death?: string;
  /** SIU: appointment start YYYYMMDDHHMM */
  start?: string;
  clinic?: string;
  /** SIU S15: SCH-6 reason code */
  reason?: string;
  /** A40: the record merged away */
  priorNhs?: string;
  priorLocal?: string;
  /** ADT A04: PV1-44 */
  arrived?: string;
  extra?: string[];
  /** Issue #27: PID-8 (administrative sex), PID-11.5 (postcode), PID-22 (ethnic group); left out when not given. */
  sex?: string;
  postcode?: string;
  ethnic?: string;
}

export function hl7(spec: MessageSpec): string {
  const ids = [
    ...(spec.nhs === null ? [] : [`${spec.nhs ?? '9434765919'}^^^NHS^NH`]),
    ...(spec.local === null ? [] : [`${spec.local ?? 'RAJ1001'}^^^RAJ^PI`]),
  ].join('~');
  const [code, trigger] = spec.type.split('^');
  const segments = [
    `MSH|^~\\&|${spec.app ?? 'PAS'}|RAJ|OPENPTL|RAJ|${spec.sent ?? '202611240900'}||${spec.type}^${code}_${trigger}|${spec.id}|P|2.4`,
  ];
  if (code === 'ADT') segments.push(`EVN|${trigger}|${spec.sent ?? '202611240900'}`);
  if (code === 'SIU') {
    // SCH-1, SCH-2, SCH-6 (the reason), SCH-11.4 (the start)
    segments.push(`SCH|${spec.id}|APT-${spec.id}^PAS||||${spec.reason ?? ''}|||||^^^${spec.start ?? '202611300930'}`);
  }
  // PID-8 sex, PID-11 address (.5 the postcode), PID-22 ethnic group, PID-29/30 death.
  const fields = [`PID|1||${ids}||${spec.name ?? 'SMITH^John'}||${spec.dob ?? '19600101'}|${spec.sex ?? ''}`];
  const tail = new Map<number, string>([
    [11, spec.postcode ? `^^^^${spec.postcode}` : ''],
    [22, spec.ethnic ?? ''],
    [29, spec.death ?? ''],
    [30, spec.death ? 'Y' : ''],
  ]);
  for (let i = 9; i <= 30; i++) fields.push(tail.get(i) ?? '');
  const pid = fields.join('|').replace(/\|+$/, '');
  segments.push(pid);
  if (spec.priorNhs || spec.priorLocal) {
    segments.push(
      `MRG|${[spec.priorNhs ? `${spec.priorNhs}^^^NHS^NH` : '', spec.priorLocal ? `${spec.priorLocal}^^^RAJ^PI` : ''].filter(Boolean).join('~')}`,
    );
  }
  if (code === 'ADT' || spec.clinic) {
    segments.push(`PV1|1|O|${spec.clinic ?? 'CLIN1'}^^^RAJ${spec.arrived ? `${'|'.repeat(41)}${spec.arrived}` : ''}`);
  }
  if (code === 'SIU') segments.push('RGS|1', `AIL|1||${spec.clinic ?? 'CLIN1'}^^^RAJ||${spec.start ?? '202611300930'}`);
  segments.push(...(spec.extra ?? []));
  return `${segments.join('\r')}\r`;
}
