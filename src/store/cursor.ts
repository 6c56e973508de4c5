// Keyset pagination's cursor (the PTLs): the last row's sort value and id, opaque to the client.
import { AppError } from '../errors.ts';

export function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return value as [string, string];
  } catch {
    /* fall through */
  }
  throw badCursor();
}

export function badCursor(): AppError {
  return new AppError(
    'invalid_cursor',
    'cursor: is not a cursor this server issued; start again from the first page',
    'cursor',
  );
}
