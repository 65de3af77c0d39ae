import {
  canaryRequestSchema,
  promoteRequestSchema,
  type Release,
  type RemoteStatus,
  registryOverviewSchema,
  releaseHistoryResponseSchema,
  releaseResponseSchema,
  remoteNameSchema,
  remoteStatusSchema,
  rollbackRequestSchema,
  semverSchema,
  yankRequestSchema,
} from '@atrium/contracts';
import { actorLabel } from './actor-label.js';
import { defineCommand, integerOption, parseInput, remoteName } from './args.js';
import { type CliContext, jsonOption, serverOption } from './context.js';
import { CliError, UsageError } from './errors.js';
import { confirm, interactive } from './prompt.js';
import { signedInClient } from './session-store.js';
import { formatTable, formatTime } from './table.js';

const nameArg = { name: 'name', description: `the remote: ${remoteNameSchema.options.join(', ')}` } as const;
const reasonOption = {
  type: 'string',
  value: 'text',
  description: 'why: kept in the release history and the audit log',
  required: true,
} as const;

const remotePath = (name: string) => `/api/registry/remotes/${encodeURIComponent(name)}`;

function canaryText(release: Pick<Release, 'canary' | 'canaryPercent'>): string {
  return release.canary ? `${release.canary} @ ${release.canaryPercent}%` : '—';
}

function healthText(health: RemoteStatus['canaryHealth']): string {
  if (!health) return '—';
  if (health.loads === 0) return `no loads in ${health.windowSeconds}s`;
  const rate = ((health.failures / health.loads) * 100).toFixed(1);
  return `${health.failures}/${health.loads} failed (${rate}%) in ${health.windowSeconds}s`;
}

function releaseLine(release: Release): string {
  const parts = [`stable ${release.stable ?? '—'}`, `canary ${canaryText(release)}`];
  parts.push(`previous stable ${release.previousStable ?? '—'}`);
  return `${release.remote}: ${parts.join(', ')}\n`;
}

function write(ctx: CliContext, json: boolean, data: unknown, text: () => string): void {
  ctx.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : text());
}

function statusTable(remotes: readonly RemoteStatus[]): string {
  return formatTable(
    ['REMOTE', 'STABLE', 'CANARY', 'PREVIOUS STABLE', 'CANARY HEALTH'],
    remotes.map(({ release, canaryHealth }) => [
      release.remote,
      release.stable ?? '—',
      canaryText(release),
      release.previousStable ?? '—',
      healthText(canaryHealth),
    ]),
  );
}

/** `by <key name>`, with a warning when the key was revoked since; `unsigned` otherwise. */
function signedLabel(version: RemoteStatus['versions'][number]): string {
  const { signature } = version;
  if (!signature) return 'unsigned';
  return signature.keyRevokedAt ? `by ${signature.signer} (KEY REVOKED)` : `by ${signature.signer}`;
}

function versionsTable(status: RemoteStatus): string {
  const { release } = status;
  const role = (version: string) =>
    [
      version === release.stable && 'stable',
      version === release.canary && 'canary',
      version === release.previousStable && 'previous',
    ]
      .filter(Boolean)
      .join(', ');
  return formatTable(
    ['VERSION', 'CONTRACT', 'STATUS', 'RELEASE', 'PUBLISHED', 'BY', 'GIT', 'SIGNED'],
    status.versions.map((v) => [
      v.version,
      v.contract,
      v.status,
      role(v.version) || '—',
      formatTime(v.publishedAt),
      actorLabel(v.publishedBy),
      `${v.gitSha?.slice(0, 10) ?? '—'}${v.gitDirty ? ' (dirty)' : ''}`,
      signedLabel(v),
    ]),
  );
}

export const statusCommand = defineCommand({
  name: 'remote status',
  summary: 'Show stable, canary and its share, previous stable, canary health.',
  positionals: [{ ...nameArg, description: 'one remote, with its published versions', optional: true }],
  options: { server: serverOption, json: jsonOption },
  async run({ values, args }, ctx) {
    const client = signedInClient(ctx, values.server, 'remote status');
    if (args.name === undefined) {
      const overview = await client.get('/api/registry/remotes', registryOverviewSchema);
      write(ctx, values.json, overview, () => statusTable(overview.remotes));
      return;
    }
    const status = await client.get(remotePath(remoteName(args.name, 'remote status')), remoteStatusSchema);
    write(ctx, values.json, status, () => {
      const versions = status.versions.length > 0 ? versionsTable(status) : 'No versions published yet.\n';
      return `${statusTable([status])}\n${versions}`;
    });
  },
});

export const promoteCommand = defineCommand({
  name: 'remote promote',
  summary: 'Make a published version stable for everyone.',
  details: ['The current stable becomes the previous stable: the fallback and the default rollback target.'],
  positionals: [nameArg, { name: 'version', description: 'a published version, e.g. 1.4.0' }],
  options: { reason: reasonOption, server: serverOption },
  async run({ values, args }, ctx) {
    const name = remoteName(args.name, 'remote promote');
    const body = parseInput(promoteRequestSchema, { version: args.version, reason: values.reason }, 'remote promote');
    const client = signedInClient(ctx, values.server, 'remote promote');
    const { release } = await client.post(`${remotePath(name)}/promote`, releaseResponseSchema, body);
    ctx.stdout.write(`Promoted ${name} ${body.version} to stable.\n${releaseLine(release)}`);
  },
});

export const canaryCommand = defineCommand({
  name: 'remote canary',
  summary: 'Serve a published version to a share of users; 0 stops the canary.',
  details: ['A user’s share is a stable hash of (user, remote): the same users see the canary on every device.'],
  positionals: [nameArg, { name: 'version', description: 'a published version, e.g. 1.4.0' }],
  options: {
    percent: { type: 'string', value: '0-100', description: 'share of users who get it', required: true },
    reason: reasonOption,
    server: serverOption,
  },
  async run({ values, args }, ctx) {
    const name = remoteName(args.name, 'remote canary');
    const percent = integerOption(values.percent, 'percent', 'remote canary');
    const body = parseInput(
      canaryRequestSchema,
      { version: args.version, percent: percent ?? 0, reason: values.reason },
      'remote canary',
    );
    const client = signedInClient(ctx, values.server, 'remote canary');
    const { release } = await client.put(`${remotePath(name)}/canary`, releaseResponseSchema, body);
    ctx.stdout.write(`${name} canary: ${body.version} for ${body.percent}% of users.\n${releaseLine(release)}`);
    if (body.percent > 0) {
      ctx.stderr.write(
        `Watch it with: atrium remote status ${name}\nThen: atrium remote promote ${name} ${body.version} --reason "…"\n`,
      );
    }
  },
});

export const rollbackCommand = defineCommand({
  name: 'remote rollback',
  summary: 'Withdraw a running canary, else put the previous stable (or an earlier version you name) back.',
  details: [
    'Without a version it undoes the newest exposure: a running canary is withdrawn (stable stays);',
    'with no canary, the previous stable comes back. On a terminal it asks first; elsewhere it needs --yes.',
  ],
  positionals: [nameArg, { name: 'version', description: 'an earlier published version', optional: true }],
  options: {
    reason: reasonOption,
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation' },
    server: serverOption,
  },
  async run({ values, args }, ctx) {
    const name = remoteName(args.name, 'remote rollback');
    const body = parseInput(rollbackRequestSchema, { version: args.version, reason: values.reason }, 'remote rollback');
    if (!values.yes && !interactive(ctx)) {
      throw new UsageError('Refusing to roll back without --yes when not on a terminal.', 'remote rollback');
    }
    const client = signedInClient(ctx, values.server, 'remote rollback');
    if (!values.yes) {
      const { release } = await client.get(remotePath(name), remoteStatusSchema);
      const withdrawCanary = !body.version && release.canary !== null && release.canaryPercent > 0;
      const question = withdrawCanary
        ? `Withdraw ${name} canary ${release.canary} (${release.canaryPercent}%), keeping stable ${release.stable ?? '—'}?`
        : `Roll back ${name} from ${release.stable ?? 'no stable version'} to ${body.version ?? release.previousStable ?? 'the previous stable version'}?`;
      if (!(await confirm(ctx, question))) {
        throw new CliError('Cancelled; nothing changed.');
      }
    }
    const { release } = await client.post(`${remotePath(name)}/rollback`, releaseResponseSchema, body);
    ctx.stdout.write(`Rolled ${name} back: everyone gets ${release.stable ?? '—'}.\n${releaseLine(release)}`);
  },
});

export const historyCommand = defineCommand({
  name: 'remote history',
  summary: 'List a remote’s release changes, newest first.',
  details: ['"(auto)" marks what the registry did by itself, e.g. rolling back a failing canary.'],
  positionals: [nameArg],
  options: {
    limit: { type: 'string', value: 'n', description: 'show at most n entries' },
    server: serverOption,
    json: jsonOption,
  },
  async run({ values, args }, ctx) {
    const name = remoteName(args.name, 'remote history');
    const limit = integerOption(values.limit, 'limit', 'remote history');
    if (limit === 0) throw new UsageError('--limit must be at least 1.', 'remote history');
    const client = signedInClient(ctx, values.server, 'remote history');
    const query = limit === undefined ? '' : `?limit=${limit}`;
    const history = await client.get(`${remotePath(name)}/history${query}`, releaseHistoryResponseSchema);
    const entries = limit === undefined ? history.entries : history.entries.slice(0, limit);
    write(ctx, values.json, { entries }, () => {
      if (entries.length === 0) return `No release changes for ${name} yet.\n`;
      const change = (from: string | null, to: string | null) =>
        from === to ? (to ?? '—') : `${from ?? '—'} → ${to ?? '—'}`;
      return formatTable(
        ['AT', 'ACTION', 'VERSION', 'STABLE', 'CANARY', 'BY', 'REASON'],
        entries.map((entry) => [
          formatTime(entry.at),
          entry.automatic ? `${entry.action} (auto)` : entry.action,
          entry.version ?? '—',
          change(entry.from.stable, entry.to.stable),
          change(canaryText(entry.from), canaryText(entry.to)),
          actorLabel(entry.actor),
          entry.reason,
        ]),
      );
    });
  },
});

export const yankCommand = defineCommand({
  name: 'remote yank',
  summary: 'Withdraw a published version so it can no longer be released.',
  positionals: [nameArg, { name: 'version', description: 'the version to withdraw' }],
  options: { reason: reasonOption, server: serverOption },
  async run({ values, args }, ctx) {
    const name = remoteName(args.name, 'remote yank');
    const body = parseInput(yankRequestSchema, { reason: values.reason }, 'remote yank');
    const version = parseInput(semverSchema, args.version, 'remote yank');
    const client = signedInClient(ctx, values.server, 'remote yank');
    const { release } = await client.post(
      `${remotePath(name)}/versions/${encodeURIComponent(version)}/yank`,
      releaseResponseSchema,
      body,
    );
    ctx.stdout.write(`Yanked ${name} ${version}.\n${releaseLine(release)}`);
  },
});
