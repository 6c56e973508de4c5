// `openptl user`, `openptl token` and `openptl audit`: who may sign in (with which role, seeing
// which providers), their tokens, and who saw what (by user, pathway, or patient's NHS number).
// Every change is written to the access log as the operating-system user who ran it.
import { createInterface } from 'node:readline/promises';
import { systemClock, type WallClock } from '../wall-clock.ts';
import { isIsoDate } from '../vocabulary/calendar.ts';
import { parseProviders, ROLES } from '../auth/roles.ts';
import { normaliseNhsNumber } from '../vocabulary/nhs-number.ts';
import { patientSubject } from '../store/access-log.ts';
import { identifier } from '../vocabulary/events.ts';
import { ACCESS_ACTIONS, type AccessAction } from '../store/access-log.ts';
import { TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX } from '../store/users.ts';
import { CliError } from './errors.ts';
import { auditCli } from './audit-entry.ts';
import { DEFAULT_DB, openDatabase, options } from './store-commands.ts';

async function askPassword(): Promise<string> {
  // From a terminal, ask without echo; from a pipe, read the first line.
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new CliError('no password given (use --password P, or type it when asked)');
  }
  process.stdout.write('Password: ');
  const rl = createInterface({ input: process.stdin, output: undefined, terminal: true });
  const password = await rl.question('');
  rl.close();
  process.stdout.write('\n');
  return password;
}

const USER_USAGE = `openptl user add NAME --role ${ROLES.join('|')} [--providers RAJ,RQ8] [--password P]
       openptl user list
       openptl user disable NAME | enable NAME
       openptl user role NAME ${ROLES.join('|')}
       openptl user scope NAME --providers RAJ,RQ8 | --all-providers
       openptl user password NAME [--password P]
  (all take --db FILE; a password not given is read from the terminal or the first line of standard input;
   a user given providers sees and changes only the pathways those providers have held)`;

/** --providers as given, checked; null when not given. */
function providersOption(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const parsed = parseProviders(value);
  if (typeof parsed === 'string') throw new CliError(`--providers: ${parsed}`);
  return parsed;
}

export async function userCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  const { values, positionals } = options(
    args,
    {
      role: { type: 'string' },
      password: { type: 'string' },
      providers: { type: 'string' },
      'all-providers': { type: 'boolean' },
      db: { type: 'string' },
    },
    USER_USAGE,
  );
  const [verb, name, extra, ...rest] = positionals;
  const usage = () => new CliError(`usage: ${USER_USAGE}`);
  if (rest.length) throw usage();
  const print = (value: unknown): void => {
    process.stdout.write(`${JSON.stringify(value)}\n`);
  };
  if (verb === 'list') {
    if (name !== undefined) throw usage();
    const { users } = openDatabase(values.db ?? DEFAULT_DB, clock, { readOnlyOk: true });
    for (const user of users.list())
      print({
        name: user.name,
        role: user.role,
        providers: user.providers,
        disabled: user.disabled,
        passwordChangeRequired: user.passwordChangeRequired,
        createdAt: user.createdAt,
      });
    return;
  }
  if (!name) throw usage();
  const providers = providersOption(values.providers);
  if ((providers !== null || values['all-providers']) && verb !== 'add' && verb !== 'scope') throw usage();
  // Checked before a password is asked for.
  if (verb === 'add' && values.role === 'admin' && providers)
    throw new CliError('--providers: an admin manages the whole trust and cannot be limited to providers');
  const store = openDatabase(values.db ?? DEFAULT_DB, clock, { mustExist: verb !== 'add' });
  const { users } = store;
  switch (verb) {
    case 'add': {
      if (!values.role || extra !== undefined) throw usage();
      const password = values.password ?? (await askPassword());
      const user = users.add(name, values.role, password, providers);
      auditCli(store, 'user_added', { detail: { user: user.name, role: user.role, providers: user.providers } });
      return print({ name: user.name, role: user.role, providers: user.providers });
    }
    case 'scope': {
      if (extra !== undefined || (providers === null) === !values['all-providers']) throw usage();
      const user = users.setProviders(name, providers);
      auditCli(store, 'providers_changed', { detail: { user: user.name, providers: user.providers } });
      return print({ name: user.name, role: user.role, providers: user.providers });
    }
    case 'disable':
    case 'enable': {
      if (extra !== undefined) throw usage();
      const user = users.setDisabled(name, verb === 'disable');
      auditCli(store, verb === 'disable' ? 'user_disabled' : 'user_enabled', { detail: { user: user.name } });
      return print({ name: user.name, role: user.role, disabled: user.disabled });
    }
    case 'role': {
      const role = extra ?? values.role;
      if (!role) throw usage();
      const user = users.setRole(name, role);
      auditCli(store, 'role_changed', { detail: { user: user.name, role: user.role } });
      return print({ name: user.name, role: user.role, disabled: user.disabled });
    }
    case 'password': {
      if (extra !== undefined) throw usage();
      if (!users.canonicalName(name)) throw new CliError(`no user named ${name}`); // before asking for a password
      const user = users.setPassword(name, values.password ?? (await askPassword()));
      auditCli(store, 'password_reset', { detail: { user: user.name } });
      return print({ name: user.name, passwordChanged: true, sessionsEnded: true });
    }
    default:
      throw usage();
  }
}

const TOKEN_USAGE = `openptl token create NAME [--expires DAYS] [--label TEXT]   (DAYS from 1 to ${TOKEN_DAYS_MAX}, default ${TOKEN_DAYS_DEFAULT})
       openptl token list [NAME]
       openptl token revoke ID
  (all take --db FILE)`;

export function tokenCommand(args: string[], clock: WallClock = systemClock): void {
  const { values, positionals } = options(
    args,
    { db: { type: 'string' }, expires: { type: 'string' }, label: { type: 'string' } },
    TOKEN_USAGE,
  );
  const [verb, arg, ...rest] = positionals;
  const usage = () => new CliError(`usage: ${TOKEN_USAGE}`);
  if (rest.length) throw usage();
  const store = openDatabase(values.db ?? DEFAULT_DB, clock);
  const { users } = store;
  switch (verb) {
    case 'create': {
      if (!arg) throw usage();
      const days = values.expires === undefined ? undefined : Number(values.expires.replace(/d(ays?)?$/, ''));
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > TOKEN_DAYS_MAX)) {
        throw new CliError(`--expires: a whole number of days from 1 to ${TOKEN_DAYS_MAX} (got ${values.expires})`);
      }
      const issued = users.issueToken(arg, { days, label: values.label });
      auditCli(store, 'token_created', {
        detail: { user: users.canonicalName(arg), tokenId: issued.tokenId, expiresAt: issued.expiresAt },
      });
      // The secret alone on stdout (scripts capture it); its id and expiry on stderr.
      process.stdout.write(`${issued.token}\n`);
      process.stderr.write(
        `openptl: token ${issued.tokenId} for ${users.canonicalName(arg)}, expires ${issued.expiresAt}\n`,
      );
      return;
    }
    case 'list':
      for (const token of users.listTokens(arg)) process.stdout.write(`${JSON.stringify(token)}\n`);
      return;
    case 'revoke': {
      if (!arg || !/^\d+$/.test(arg))
        throw new CliError(`token revoke: give the token's id (openptl token list shows them)\nusage: ${TOKEN_USAGE}`);
      const revoked = users.revokeToken(Number(arg));
      auditCli(store, 'token_revoked', { detail: { user: revoked.user, tokenId: revoked.tokenId } });
      process.stdout.write(`${JSON.stringify({ revoked: revoked.tokenId, user: revoked.user })}\n`);
      return;
    }
    default:
      throw usage();
  }
}

export function auditCommand(args: string[], clock: WallClock = systemClock): void {
  const usage = `openptl audit [--user NAME] [--pathway ID | --nhs-number N] [--since YYYY-MM-DD] [--action ${ACCESS_ACTIONS.slice(0, 3).join('|')}|...] [--db FILE]`;
  const { values, positionals } = options(
    args,
    {
      user: { type: 'string' },
      pathway: { type: 'string' },
      'nhs-number': { type: 'string' },
      since: { type: 'string' },
      action: { type: 'string' },
      db: { type: 'string' },
    },
    usage,
  );
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  if (values.since !== undefined && !isIsoDate(values.since))
    throw new CliError(`--since: must be a real calendar date, YYYY-MM-DD (got ${values.since})`);
  if (values.pathway !== undefined && !identifier.safeParse(values.pathway).success)
    throw new CliError(`--pathway: not a pathway id (got ${values.pathway})`);
  if (values.action !== undefined && !ACCESS_ACTIONS.includes(values.action as AccessAction))
    throw new CliError(`--action: one of ${ACCESS_ACTIONS.join(', ')}`);
  const patient = values['nhs-number'] === undefined ? undefined : normaliseNhsNumber(values['nhs-number']);
  if (patient === null)
    throw new CliError(`--nhs-number: not a valid NHS number (10 digits with a Modulus 11 check digit)`);
  const store = openDatabase(values.db ?? DEFAULT_DB, clock, { readOnlyOk: true });
  const { access, log } = store;
  const filters = {
    user: values.user,
    pathwayId: values.pathway,
    since: values.since,
    action: values.action as AccessAction | undefined,
  };
  // Who saw this patient: every entry that showed any pathway that has carried the number, or the number itself.
  const subjects =
    patient === undefined ? {} : { subjects: [...log.pathwaysOfNhsNumber(patient), patientSubject(patient)] };
  let count = 0;
  for (const entry of access.all({ ...filters, ...subjects })) {
    process.stdout.write(`${JSON.stringify(entry)}\n`);
    count++;
  }
  auditCli(store, 'audit_viewed', {
    detail: {
      filters: Object.fromEntries(
        Object.entries({ ...filters, nhsNumber: patient }).filter(([, v]) => v !== undefined),
      ),
      entries: count,
    },
  });
}
