import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type CliContext, resolveServer } from './context.js';
import { CliError } from './errors.js';
import { ApiClient } from './http.js';

/** What `atrium login` keeps between runs: enough to act as that signed-in session. */
const storedSessionSchema = z.object({
  server: z.string(),
  /** `name=value` of the session cookie, sent back as is (the name may carry the `__Host-` prefix). */
  cookie: z.string().min(1),
  csrfToken: z.string().min(1),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

const fileName = 'session.json';

export function sessionPath(configDir: string): string {
  return path.join(configDir, fileName);
}

export function readSession(configDir: string): StoredSession | null {
  let text: string;
  try {
    text = readFileSync(sessionPath(configDir), 'utf8');
  } catch {
    return null;
  }
  try {
    return storedSessionSchema.parse(JSON.parse(text));
  } catch {
    throw new CliError(`${sessionPath(configDir)} is damaged.`, ['Run `atrium logout`, then `atrium login` again.']);
  }
}

/** The cookie is a bearer credential: the directory is the user's alone and the file is 0600 even if it existed. */
export function writeSession(configDir: string, session: StoredSession): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const file = sessionPath(configDir);
  writeFileSync(file, `${JSON.stringify(storedSessionSchema.parse(session), null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function deleteSession(configDir: string): void {
  rmSync(sessionPath(configDir), { force: true });
}

/** A client acting as the signed-in session, for commands that need a person (ops or admin) behind them. */
export function signedInClient(ctx: CliContext, serverFlag: string | undefined, command: string): ApiClient {
  const session = readSession(ctx.env.configDir);
  const server = resolveServer(serverFlag, ctx.env, session?.server ?? null, command);
  const signIn = `atrium login --server ${server.origin} --email you@example.com`;
  if (!session) throw new CliError('You are not signed in.', [`Run ${signIn}`]);
  if (session.server !== server.origin) {
    throw new CliError(`You are signed in to ${session.server}, not ${server.origin}.`, [`Run ${signIn}`]);
  }
  return new ApiClient({ server, session });
}
