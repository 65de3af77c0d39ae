import { emailSchema, userAdminReasonSchema } from '@atrium/contracts';
import { createSharedSignInLimits } from '../auth/sign-in-limits.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { type OpenDatabase, openDatabase } from '../db/index.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { findUserByEmail } from '../users/accounts.js';
import { resetPassword } from '../users/admin-actions.js';
import { defineCommand, parseInput } from './args.js';
import { CliError } from './errors.js';

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
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(process.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
    const logger = createLogger('silent');
    let opened: OpenDatabase;
    try {
      opened = await openDatabase(config.database, logger);
    } catch (error) {
      if (error instanceof DataDirLockedError) {
        throw new CliError(`${error.message}.`, [
          'The running server holds the embedded database. Stop it, run this command again, then start the server;',
          'or, while it runs, have another admin use Users → Reset password in the admin area.',
        ]);
      }
      throw new CliError(`Could not open the database: ${(error as Error).message}`);
    }
    try {
      const user = await findUserByEmail(opened.db, email);
      if (!user) throw new CliError(`No user with the email ${email}.`);
      const { temporaryPassword, revokedSessions } = await resetPassword(
        opened.db,
        { id: null, requestId: null },
        { targetId: user.id, reason },
        systemClock.now(),
      );
      if (config.redisUrl) {
        const limits = createSharedSignInLimits(config.signInLimits, {
          redisUrl: config.redisUrl,
          clock: systemClock,
          logger,
        });
        try {
          await limits.unlock(user.email);
        } finally {
          await limits.close();
        }
      }
      ctx.stderr.write(
        [
          `Reset the password of ${user.email} (${user.role}); ${revokedSessions} session(s) ended.`,
          'Temporary password (shown once; they must choose a new one after signing in):',
          '',
        ].join('\n'),
      );
      ctx.stdout.write(`${temporaryPassword}\n`);
    } catch (error) {
      if (error instanceof AppError) throw new CliError(`${error.code}: ${error.message}`);
      throw error;
    } finally {
      await opened.close();
    }
  },
});
