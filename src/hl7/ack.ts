// The acknowledgement (ACK) OpenPTL answers every message with: MSA-1 AA once the message is
// durably stored, AE or AR with the reason in MSA-3 otherwise. Pure: the time is passed in.
import { londonDateOf, londonTimeOf } from '../vocabulary/calendar.ts';
import type { Header } from './message.ts';

export type AckCode = 'AA' | 'AE' | 'AR';

/** Text made safe for an HL7 field: the delimiters escaped, line breaks and control characters dropped. */
export function escapeHl7(text: string): string {
  return text
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/~/g, '\\R\\')
    .replace(/&/g, '\\T\\')
    .replace(/[\x00-\x1f\x7f]/g, ' ');
}

/**
 * An ACK for a message (or for what could be read of its header). `at` stamps MSH-7 and, with the
 * control id it answers, makes the ACK's own control id.
 */
export function ack(code: AckCode, text: string, header: Partial<Header> | undefined, at: Date): string {
  const stamp = `${londonDateOf(at).replaceAll('-', '')}${londonTimeOf(at).replace(':', '')}`;
  const trigger = header?.messageType?.split('^')[1] ?? '';
  const controlId = header?.controlId ?? '';
  const msh = [
    'MSH',
    '^~\\&',
    'OPENPTL',
    escapeHl7(header?.receivingFacility ?? ''),
    escapeHl7(header?.sendingApplication ?? ''),
    escapeHl7(header?.sendingFacility ?? ''),
    stamp,
    '',
    `ACK^${escapeHl7(trigger)}^ACK`,
    escapeHl7(`ACK${controlId}`.slice(0, 64)),
    'P',
    escapeHl7(header?.version || '2.4'),
  ];
  const msa = ['MSA', code, escapeHl7(controlId), escapeHl7(text.slice(0, 500))];
  return `${msh.join('|')}\r${msa.join('|')}\r`;
}

/** MSA-1, MSA-2 and MSA-3 of an ACK (for `openptl hl7 send` and the tests). */
export function readAck(text: string): { code: string; controlId: string; text: string } | null {
  const msa = text.split(/\r\n|\r|\n/).find((s) => s.startsWith('MSA|'));
  if (!msa) return null;
  const [, code = '', controlId = '', message = ''] = msa.split('|');
  const unescape = (s: string) =>
    s.replace(/\\([EFSRT])\\/g, (_m, c: string) => ({ E: '\\', F: '|', S: '^', R: '~', T: '&' })[c] ?? '');
  return { code, controlId: unescape(controlId), text: unescape(message) };
}
