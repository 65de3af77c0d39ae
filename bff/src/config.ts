import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emailSchema, newPasswordSchema } from '@atrium/contracts';
import { z } from 'zod';

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(bffRoot, '..');

export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://')),
  ATRIUM_DATA_DIR: optional(z.string()),
  ATRIUM_ADMIN_EMAIL: optional(emailSchema),
  ATRIUM_ADMIN_PASSWORD: optional(newPasswordSchema),
  ATRIUM_PUBLIC_ORIGIN: optional(
    z
      .url({ protocol: /^https?$/ })
      .transform((value) => new URL(value))
      .refine((url) => url.pathname === '/' && !url.search, 'must be an origin, without path or query'),
  ),
  ATRIUM_TRUST_PROXY: optional(z.enum(['true', 'false'])),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  ATRIUM_BODY_LIMIT_KB: z.coerce.number().int().min(1).max(10_240).default(100),
  ATRIUM_STATIC_DIR: optional(z.string()),
  LOG_LEVEL: z.enum(logLevels).default('info'),
});

export type DatabaseConfig = { driver: 'postgres'; url: string } | { driver: 'pglite'; dataDir: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  admin: { email: string | null; password: string | null };
  /** Set in production: decides Secure/__Host- cookies and the only Origin accepted on writes. */
  publicOrigin: URL | null;
  /** Take the client IP from X-Forwarded-For (only behind our own reverse proxy). */
  trustProxy: boolean;
  session: { idleMs: number; absoluteMs: number };
  bodyLimitBytes: number;
  /** The repo root: `shell/dist` and `remotes/<name>/dist` are found under it. */
  staticDir: string;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = e.ATRIUM_DATA_DIR ?? path.join(repoRoot, '.data', 'pglite');
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { driver: 'postgres', url: e.DATABASE_URL }
      : { driver: 'pglite', dataDir: dataDir === 'memory://' ? dataDir : path.resolve(dataDir) },
    admin: { email: e.ATRIUM_ADMIN_EMAIL ?? null, password: e.ATRIUM_ADMIN_PASSWORD ?? null },
    publicOrigin: e.ATRIUM_PUBLIC_ORIGIN ?? null,
    trustProxy: e.ATRIUM_TRUST_PROXY === 'true',
    session: { idleMs: e.SESSION_IDLE_MINUTES * 60_000, absoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000 },
    bodyLimitBytes: e.ATRIUM_BODY_LIMIT_KB * 1024,
    staticDir: path.resolve(e.ATRIUM_STATIC_DIR ?? repoRoot),
    logLevel: e.LOG_LEVEL,
  };
}
