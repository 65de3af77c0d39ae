import { csrfResponseSchema, meResponseSchema, okResponseSchema, signInRequestSchema } from '@atrium/contracts';
import { defineCommand, parseInput } from './args.js';
import { resolveServer, serverOption } from './context.js';
import { CliError, UsageError } from './errors.js';
import { ApiClient } from './http.js';
import { askHidden, interactive, readStdin } from './prompt.js';
import { deleteSession, readSession, sessionPath, writeSession } from './session-store.js';

const sessionCookieNames = ['__Host-atrium_session', 'atrium_session'];

export const loginCommand = defineCommand({
  name: 'login',
  summary: 'Sign in and keep the session for release and token commands.',
  details: [
    'The password comes from stdin with --password-stdin, else it is asked for without echo.',
    'The session is kept in $ATRIUM_CONFIG_DIR/session.json (default ~/.config/atrium), readable only by you.',
  ],
  positionals: [],
  options: {
    server: serverOption,
    email: { type: 'string', value: 'email', description: 'your account', required: true },
    'password-stdin': { type: 'boolean', description: 'read the password from stdin (for scripts)' },
  },
  async run({ values }, ctx) {
    const server = resolveServer(values.server, ctx.env, readSession(ctx.env.configDir)?.server ?? null, 'login');
    let password: string;
    if (values['password-stdin']) password = await readStdin(ctx);
    else if (interactive(ctx)) password = await askHidden(ctx, `Password for ${values.email}: `);
    else throw new UsageError('No terminal to ask for the password: pipe it in with --password-stdin.', 'login');
    const credentials = parseInput(signInRequestSchema, { email: values.email, password }, 'login');

    const client = new ApiClient({ server });
    client.csrfToken = (await client.get('/api/auth/csrf', csrfResponseSchema)).csrfToken;
    const me = await client.post('/api/auth/sign-in', meResponseSchema, credentials);
    const cookie = client.cookie(sessionCookieNames);
    if (!cookie) throw new CliError(`${server.origin} signed you in but sent no session cookie.`);
    writeSession(ctx.env.configDir, { server: server.origin, cookie, csrfToken: me.csrfToken });

    ctx.stdout.write(`Signed in to ${server.origin} as ${me.user.email} (${me.user.role}).\n`);
    ctx.stderr.write(`Session kept in ${sessionPath(ctx.env.configDir)} until ${me.sessionExpiresAt} at the latest.\n`);
    if (me.user.role !== 'admin' && me.user.role !== 'ops') {
      ctx.stderr.write('Note: release commands need the ops or admin role; tokens need admin.\n');
    }
  },
});

export const logoutCommand = defineCommand({
  name: 'logout',
  summary: 'End the stored session on the server and forget it here.',
  positionals: [],
  options: {},
  async run(_input, ctx) {
    const session = readSession(ctx.env.configDir);
    if (!session) {
      ctx.stdout.write('You are not signed in.\n');
      return;
    }
    const client = new ApiClient({ server: new URL(session.server), session });
    try {
      await client.post('/api/auth/sign-out', okResponseSchema, {});
    } catch (error) {
      // The local copy goes either way: a session the server already ended is no reason to keep it.
      if (!(error instanceof CliError)) throw error;
      ctx.stderr.write(`Could not end the session on ${session.server} (${error.message}); forgetting it here.\n`);
    }
    deleteSession(ctx.env.configDir);
    ctx.stdout.write(`Signed out of ${session.server}.\n`);
  },
});
