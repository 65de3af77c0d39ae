import {
  createDeployTokenRequestSchema,
  createDeployTokenResponseSchema,
  deployTokenListResponseSchema,
  deployTokenSchema,
} from '@atrium/contracts';
import { z } from 'zod';
import { defineCommand, parseInput, remoteName } from './args.js';
import { jsonOption, serverOption } from './context.js';
import { UsageError } from './errors.js';
import { signedInClient } from './session-store.js';
import { formatTable, formatTime } from './table.js';

const tokensPath = '/api/registry/tokens';

export const tokenCreateCommand = defineCommand({
  name: 'token create',
  summary: 'Create a deploy token that can publish one remote (admin).',
  details: [
    'The secret goes to stdout alone, so `SECRET=$(atrium token create …)` captures just it. It is shown once.',
  ],
  positionals: [{ name: 'remote', description: 'the remote the token may publish' }],
  options: {
    name: { type: 'string', value: 'label', description: 'what the token is for, e.g. "chat-core CI"', required: true },
    server: serverOption,
    json: jsonOption,
  },
  async run({ values, args }, ctx) {
    const remote = remoteName(args.remote, 'token create');
    const body = parseInput(createDeployTokenRequestSchema, { remote, name: values.name }, 'token create');
    const client = signedInClient(ctx, values.server, 'token create');
    const created = await client.post(tokensPath, createDeployTokenResponseSchema, body);
    ctx.stderr.write(
      [
        `Created deploy token ${created.token.id} ("${created.token.name}") for ${created.token.remote}.`,
        'This secret is shown once: store it in your CI secrets now (e.g. as ATRIUM_DEPLOY_TOKEN).',
        '',
      ].join('\n'),
    );
    ctx.stdout.write(values.json ? `${JSON.stringify(created, null, 2)}\n` : `${created.secret}\n`);
  },
});

export const tokenListCommand = defineCommand({
  name: 'token list',
  summary: 'List deploy tokens, revoked ones included, never secrets (admin).',
  positionals: [],
  options: { server: serverOption, json: jsonOption },
  async run({ values }, ctx) {
    const client = signedInClient(ctx, values.server, 'token list');
    const { tokens } = await client.get(tokensPath, deployTokenListResponseSchema);
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ tokens }, null, 2)}\n`);
      return;
    }
    if (tokens.length === 0) {
      ctx.stdout.write('No deploy tokens yet: atrium token create <remote> --name <label>\n');
      return;
    }
    ctx.stdout.write(
      formatTable(
        ['ID', 'REMOTE', 'NAME', 'CREATED', 'LAST USED', 'STATUS'],
        tokens.map((token) => [
          token.id,
          token.remote,
          token.name,
          formatTime(token.createdAt),
          formatTime(token.lastUsedAt),
          token.revokedAt ? `revoked ${formatTime(token.revokedAt)}` : 'active',
        ]),
      ),
    );
  },
});

const revokeResponseSchema = z.object({ token: deployTokenSchema });

export const tokenRevokeCommand = defineCommand({
  name: 'token revoke',
  summary: 'Revoke a deploy token; publishes with it are refused (admin).',
  positionals: [{ name: 'id', description: 'the token id, as `atrium token list` shows it' }],
  options: { server: serverOption },
  async run({ values, args }, ctx) {
    const id = args.id.trim();
    if (id === '') throw new UsageError('The token id is empty.', 'token revoke');
    const client = signedInClient(ctx, values.server, 'token revoke');
    const { token } = await client.delete(`${tokensPath}/${encodeURIComponent(id)}`, revokeResponseSchema);
    ctx.stdout.write(`Revoked deploy token ${token.id} ("${token.name}") for ${token.remote}.\n`);
  },
});
