// The trust's settings (issue #23): its name, on printed lists and the nightly report, and its
// target for the over-62 backlog, which the Outlook page draws and the forecast answers against.
// Read by anyone signed in; set by an admin (as `openptl settings` does).
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { ForecastOptionError, parseTarget } from '../../forecast/levers.ts';
import type { Store } from '../../store/store.ts';
import { AppError } from '../../errors.ts';
import { feature, type ApiContext } from '../route.ts';

const settingsAnswer = z.object({
  trustName: z.string().nullable(),
  forecastTarget: z
    .string()
    .nullable()
    .describe("the trust's target for the backlog, METRIC<N@YYYY-MM-DD (over62<100@2027-03-31); null when none"),
});
const settingsChange = z
  .strictObject({
    trustName: z.string().trim().min(2).max(120).optional(),
    forecastTarget: z.string().max(64).nullable().optional().describe('null removes it'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'name a setting to change: trustName or forecastTarget' });

export const settings = feature(
  {
    settings: {
      method: 'get',
      path: '/api/settings',
      summary: "The trust's settings: its name and its target for the backlog",
      allow: 'signed_in',
      scope: 'none',
      ok: { status: 200, description: 'the settings', schema: settingsAnswer },
      errors: [401, 403],
    },
    changeSettings: {
      method: 'patch',
      path: '/api/settings',
      summary: "Sets the trust's name or its target for the backlog (admins)",
      allow: 'admin',
      scope: 'none',
      body: settingsChange,
      ok: { status: 200, description: 'the settings after the change', schema: settingsAnswer },
      errors: [400, 401, 403],
    },
  },
  ({
    store: { settings: kept },
    clock,
    audit,
  }: { store: Pick<Store, 'settings'> } & Pick<ApiContext, 'clock' | 'audit'>) => {
    // The two settings this route reads and writes (the audit and feed settings are the command line's).
    const answer = () => {
      const { trustName, forecastTarget } = kept.all();
      return { trustName, forecastTarget };
    };
    return {
      settings: answer,
      changeSettings: ({ req, caller, body }) => {
        if (body.forecastTarget) {
          try {
            parseTarget(body.forecastTarget, today(clock));
          } catch (err) {
            if (!(err instanceof ForecastOptionError)) throw err;
            throw new AppError('invalid_request', `body.forecastTarget: ${reasonOf(err)}`, 'body.forecastTarget');
          }
        }
        if (body.trustName !== undefined) kept.set('trustName', body.trustName);
        if (body.forecastTarget === null) kept.clear('forecastTarget');
        else if (body.forecastTarget !== undefined) kept.set('forecastTarget', body.forecastTarget);
        audit(req, caller, 'settings_changed', { detail: { changed: Object.keys(body) } });
        return answer();
      },
    };
  },
);

/** A forecast option's refusal without the command line's option name. */
export function reasonOf(err: ForecastOptionError): string {
  return err.message.slice(err.option.length + 2);
}
