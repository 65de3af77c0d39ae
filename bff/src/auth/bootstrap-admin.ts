import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import { hasAdmin, insertUser } from '../users/accounts.js';

const defaultAdminEmail = 'admin@atrium.local';

/**
 * First start only: with no admin in the database, create one and print how to sign in.
 * Later starts find the admin and print nothing, so the password is shown exactly once.
 */
export async function bootstrapAdmin(
  db: Database,
  config: Pick<Config, 'admin'>,
  clock: Clock,
  print: (text: string) => void,
): Promise<boolean> {
  if (await hasAdmin(db)) return false;
  const email = config.admin.email ?? defaultAdminEmail;
  const password = config.admin.password ?? randomBytes(18).toString('base64url');
  const created = await insertUser(db, {
    email,
    displayName: 'Administrator',
    role: 'admin',
    password,
    now: clock.now(),
  });
  if (!created) return false;
  const shownPassword = config.admin.password ? '(the value of ATRIUM_ADMIN_PASSWORD)' : password;
  const rule = '='.repeat(64);
  print(
    [
      rule,
      '  Atrium created the first administrator account.',
      `  email:    ${email}`,
      `  password: ${shownPassword}`,
      '  This is shown once. Sign in and change the password.',
      rule,
      '',
    ].join('\n'),
  );
  return true;
}
