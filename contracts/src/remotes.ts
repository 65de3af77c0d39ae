import { z } from 'zod';
import { type RemoteName, remoteNames } from './values.js';

export const remoteNameSchema = z.enum(remoteNames);

/**
 * The part of a remote build's `mf-manifest.json` that says what the build is. The build
 * preset (tooling/src/rspack-remote.ts) writes `buildVersion` as `<version>+<build id>`: the
 * version the remote shows (baked in at build time), plus semver build metadata naming the build.
 */
export const buildManifestSchema = z.object({
  metaData: z.object({
    buildInfo: z.object({ buildVersion: z.string().min(1) }),
  }),
});

/** The version a build was made as, from its parsed `mf-manifest.json`; null when it does not say. */
export function builtVersionOf(manifest: unknown): string | null {
  const parsed = buildManifestSchema.safeParse(manifest);
  return parsed.success ? parsed.data.metaData.buildInfo.buildVersion.split('+')[0]! : null;
}

export const integritySchema = z.string().regex(/^sha384-[A-Za-z0-9+/]{64}$/, 'sha384-<base64>');
export const contractIdSchema = z.string().regex(/^[a-z][a-z0-9-]*@\d+$/, '<remote>@<major>');
export type ContractId = `${RemoteName}@${number}`;

/** One loadable build of a remote: where its entry is and the hash it must match. */
export const remoteBuildSchema = z.object({
  version: z.string(),
  entry: z.string(),
  integrity: integritySchema,
  contract: contractIdSchema,
});
export type RemoteBuild = z.infer<typeof remoteBuildSchema>;

/** What a user resolves a remote to: the build to load, and the one to fall back to. */
export const resolvedRemoteSchema = remoteBuildSchema.extend({
  name: remoteNameSchema,
  fallback: remoteBuildSchema.nullable(),
});
export type ResolvedRemote = z.infer<typeof resolvedRemoteSchema>;

export const remoteMapSchema = z.object({
  generatedAt: z.string(),
  remotes: z.partialRecord(remoteNameSchema, resolvedRemoteSchema),
});
export type RemoteMap = z.infer<typeof remoteMapSchema>;

export const loadOutcomes = [
  'ok',
  'error',
  'timeout',
  'integrity_mismatch',
  'mount_error',
  'contract_mismatch',
] as const;
export const loadReportSchema = z.object({
  remote: remoteNameSchema,
  version: z.string().max(64),
  outcome: z.enum(loadOutcomes),
  ms: z.number().int().min(0).max(600_000),
  fallback: z.boolean().default(false),
  detail: z.string().max(500).optional(),
});
export type LoadReport = z.infer<typeof loadReportSchema>;

/** A shared singleton loaded at a version outside what its consumer required. */
export const sharedMismatchReportSchema = z.object({
  package: z.string().max(214),
  required: z.string().max(64),
  loaded: z.string().max(64),
  consumer: z.string().max(64),
});
export type SharedMismatchReport = z.infer<typeof sharedMismatchReportSchema>;

export const clientReportSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('load'), report: loadReportSchema }),
  z.object({ kind: z.literal('shared_mismatch'), report: sharedMismatchReportSchema }),
]);
export type ClientReport = z.infer<typeof clientReportSchema>;
export const clientReportBatchSchema = z.object({ reports: z.array(clientReportSchema).min(1).max(50) });
