// The access log from the command line: who ran a command (the operating-system user), written at
// once, since a command's process does not live to see the log's timer.
import { userInfo } from 'node:os';
import type { AccessAction, NewAccessEntry } from '../store/access-log.ts';
import type { Store } from '../store/store.ts';

export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return `cli:${process.env.USER ?? 'unknown'}`;
  }
}

export function auditCli(
  { access }: Pick<Store, 'access'>,
  action: AccessAction,
  entry: Omit<NewAccessEntry, 'actor' | 'action'> = {},
): void {
  access.record({ actor: cliActor(), action, ...entry });
  access.flush();
}
