import { emailSchema, userAdminReasonSchema } from '@atrium/contracts';
import { defineCommand, parseInput } from './args.js';

const defaultReason = 'reset on the server with atrium admin reset-password';

/**
 * `atrium admin reset-password <email>`: for a lost (first) admin password, run ON THE SERVER with
 * the server's own configuration (DATABASE_URL, or the embedded PGlite directory
 * ATRIUM_DATA_DIR / .data/pglite). It talks to the database directly, not to the BFF, so it
 * works when nobody can sign in. Same effect as the admin route: a temporary password printed
 * once to stdout (nothing else goes there), `must_change_password`, sessions revoked, audited
 * `user.password_reset` with actor `cli`; with REDIS_URL the shared sign-in lock is lifted too.
 */
export const adminResetPasswordCommand = defineCommand({
  name: 'admin reset-password',
  summary: 'Reset a user’s password directly in the database, on the server (for a lost admin password).',
  details: [
    'Run it on the server with the server’s environment: it reads DATABASE_URL, or the embedded database in ATRIUM_DATA_DIR (default .data/pglite). The embedded database is held by one process at a time: stop the server first (it says so if not).',
    'The temporary password goes to stdout alone and is shown once; the user must choose a new one after signing in. Their sessions end. Audited as user.password_reset by "cli".',
  ],
  positionals: [{ name: 'email', description: 'the account’s email' }],
  options: {
    reason: { type: 'string', value: 'text', description: `why, for the audit log (default "${defaultReason}")` },
  },
  async run({ values, args }, ctx) {
    const email = parseInput(emailSchema, args.email, 'admin reset-password');
    const { reason } = parseInput(
      userAdminReasonSchema,
      { reason: values.reason ?? defaultReason },
      'admin reset-password',
    );
    // The database stack loads only for this command.
    const { resetPasswordOnServer } = await import('./admin-reset-password.js');
    await resetPasswordOnServer(email, reason, ctx);
  },
});
