import { existsSync } from 'node:fs';
import path from 'node:path';
import { createSharedSignInLimits } from '../auth/sign-in-limits.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { type OpenDatabase, openDatabase } from '../db/index.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { findUserByEmail } from '../users/accounts.js';
import { resetPassword } from '../users/admin-actions.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

/**
 * The work of `atrium admin reset-password` (cli/admin.ts), apart so that the database stack
 * loads only for this command, not for every `atrium` call.
 */
export async function resetPasswordOnServer(email: string, reason: string, ctx: CliContext): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  const { database } = config;
  // Opening the embedded driver creates and migrates a database where there is none: a mistyped
  // ATRIUM_DATA_DIR would get a fresh empty one and "No user with the email". PG_VERSION is the
  // file every PostgreSQL (and so PGlite) data directory holds.
  if (database.driver === 'pglite' && database.dataDir !== 'memory://') {
    if (!existsSync(path.join(database.dataDir, 'PG_VERSION'))) {
      throw new CliError(`No database at ${database.dataDir}; is ATRIUM_DATA_DIR right?`, [
        'Set ATRIUM_DATA_DIR to the data directory the server uses (or DATABASE_URL for PostgreSQL). Nothing was created.',
      ]);
    }
  }
  const logger = createLogger('silent');
  let opened: OpenDatabase;
  try {
    opened = await openDatabase(config.database, logger);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new CliError(error.message.endsWith('.') ? error.message : `${error.message}.`, [
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
}
