import type { ManagedUser, Role, UserView } from '@atrium/contracts';
import { asc, eq } from 'drizzle-orm';
import { hashPassword } from '../auth/password.js';
import type { Database } from '../db/index.js';
import { type UserRow, users } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { assertAnotherEnabledAdmin } from './admin-actions.js';

export function toUserView(user: UserRow): UserView {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

/** `signInLockedUntil`: from the sign-in limits (auth/sign-in-limits.ts), which this module does not know. */
export function toManagedUser(user: UserRow, signInLockedUntil: Date | null): ManagedUser {
  return {
    ...toUserView(user),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    signInLockedUntil: signInLockedUntil?.toISOString() ?? null,
    disabledAt: user.disabledAt?.toISOString() ?? null,
    mustChangePassword: user.mustChangePassword,
    monthlyBudgetUsd: user.monthlyBudgetUsd,
  };
}

export async function findUserById(db: Database, id: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user ?? null;
}

export async function findUserByEmail(db: Database, email: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return user ?? null;
}

export async function listUsers(db: Database): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.email));
}

/** Inserts unless the email is taken; `null` then, so concurrent creators never both win. */
export async function insertUser(
  db: Database,
  input: { email: string; displayName: string; role: Role; password: string; now: Date },
): Promise<UserRow | null> {
  const [user] = await db
    .insert(users)
    .values({
      email: input.email.toLowerCase(),
      displayName: input.displayName,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      createdAt: input.now,
      updatedAt: input.now,
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return user ?? null;
}

export async function createUser(db: Database, input: Parameters<typeof insertUser>[1]): Promise<UserRow> {
  const user = await insertUser(db, input);
  if (!user) throw new AppError('user.email_taken', 409, 'A user with this email already exists.');
  return user;
}

/**
 * Changes role and/or display name. `actorId`: who asks; demoting oneself from admin is 409
 * `user.self_action`, demoting the last enabled admin 409 `user.last_admin`.
 */
export async function updateUser(
  db: Database,
  id: string,
  changes: { role?: Role | undefined; displayName?: string | undefined },
  now: Date,
  actorId: string | null = null,
): Promise<{ before: UserRow; after: UserRow }> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!before) throw new AppError('user.not_found', 404, 'No such user.');
    if (before.role === 'admin' && changes.role !== undefined && changes.role !== 'admin') {
      if (actorId === before.id) throw new AppError('user.self_action', 409, 'You cannot demote your own account.');
      await assertAnotherEnabledAdmin(tx, before, 'demote');
    }
    const [after] = await tx
      .update(users)
      .set({
        role: changes.role ?? before.role,
        displayName: changes.displayName ?? before.displayName,
        updatedAt: now,
      })
      .where(eq(users.id, id))
      .returning();
    return { before, after: after! };
  });
}

/** Sets the user's own new password; clears `must_change_password` (set by an admin's reset). */
export async function setPassword(db: Database, id: string, password: string, now: Date): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(password), mustChangePassword: false, updatedAt: now })
    .where(eq(users.id, id));
}

/** The first admin account (oldest by creation): the one `bootstrapAdmin` created, unless it was removed. */
export async function firstAdmin(db: Database): Promise<UserRow | null> {
  const [admin] = await db
    .select()
    .from(users)
    .where(eq(users.role, 'admin'))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(1);
  return admin ?? null;
}

export async function hasAdmin(db: Database): Promise<boolean> {
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  return admin !== undefined;
}
