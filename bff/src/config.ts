import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emailSchema, newPasswordSchema } from '@atrium/contracts';
import { z } from 'zod';
import { type MaskKind, type MaskPolicy, secretKinds } from './guardrails/output-mask.js';

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
  ATRIUM_SIGN_IN_CLIENT_FAILURES: z.coerce.number().int().min(1).max(10_000).default(10),
  ATRIUM_SIGN_IN_ACCOUNT_FAILURES: z.coerce.number().int().min(1).max(100).default(10),
  ATRIUM_BODY_LIMIT_KB: z.coerce.number().int().min(1).max(10_240).default(100),
  ATRIUM_STATIC_DIR: optional(z.string()),
  ATRIUM_INLINE_REMOTE_MAP: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  ATRIUM_METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  OTEL_SERVICE_NAME: optional(z.string().min(1)),
  ATRIUM_REMOTE_ORIGINS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .url({ protocol: /^https?$/ })
          .transform((value) => new URL(value))
          .refine((url) => url.pathname === '/' && !url.search, 'each must be an origin, without path or query')
          .transform((url) => url.origin),
      ),
    ),
  ATRIUM_SEED_LOCAL_REMOTES: z.enum(['true', 'false', 'watch']).default('true'),
  ATRIUM_REQUIRE_SIGNED_RELEASES: z.enum(['true', 'false']).default('false'),
  ATRIUM_CANARY_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  ATRIUM_CANARY_MIN_SAMPLE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  ATRIUM_CANARY_MAX_FAILURE_RATE: z.coerce.number().gt(0).max(1).default(0.25),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'must start with redis://')),
  ATRIUM_EVENT_RETENTION_HOURS: z.coerce.number().int().min(1).max(8_760).default(24),
  OPENAI_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
  OPENAI_API_KEY: optional(z.string()),
  ATRIUM_MODEL_SMALL: z.string().min(1).default('gpt-4o-mini'),
  ATRIUM_MODEL_LARGE: z.string().min(1).default('gpt-4o'),
  ATRIUM_MODEL_PRICES: optional(
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON' });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }))),
  ),
  ATRIUM_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  ATRIUM_LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  ATRIUM_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  ATRIUM_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  ATRIUM_HISTORY_TOKEN_BUDGET: z.coerce.number().int().min(256).max(1_000_000).default(8_000),
  ATRIUM_ANSWER_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  ATRIUM_ANSWER_PERSIST_MS: z.coerce.number().int().min(50).max(10_000).default(2_000),
  ATRIUM_EMBEDDING_MODEL: optional(z.string().min(1)),
  ATRIUM_EMBEDDING_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
  ATRIUM_EMBEDDING_API_KEY: optional(z.string()),
  ATRIUM_RETRIEVAL_TOP_K: z.coerce.number().int().min(1).max(50).default(6),
  ATRIUM_WORKER: z.enum(['inline', 'off']).default('inline'),
  ATRIUM_INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  ATRIUM_DRAFT_TTL_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .max(30 * 86_400_000)
    .default(86_400_000),
  ATRIUM_DRAFT_MAX_PENDING: z.coerce.number().int().min(1).max(10_000).default(20),
  ATRIUM_DOCUMENT_DIR: optional(z.string()),
  ATRIUM_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  ATRIUM_PDF_MAX_PAGES: z.coerce.number().int().min(1).max(100_000).default(2000),
  ATRIUM_ANSWER_DEADLINE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
  ATRIUM_ANSWER_MAX_CHARS: z.coerce.number().int().min(100).max(1_000_000).default(60_000),
  ATRIUM_AGENT_MAX_STEPS: z.coerce.number().int().min(0).max(50).default(5),
  ATRIUM_SEED_DEMO_KB: optional(z.enum(['true', 'false'])),
  ATRIUM_MASK_SECRETS: z.enum(['true', 'false']).default('true'),
  ATRIUM_MASK_EMAILS: z.enum(['true', 'false']).default('true'),
  ATRIUM_MASK_PHONES: z.enum(['true', 'false']).default('true'),
  ATRIUM_MASK_CARDS: z.enum(['true', 'false']).default('true'),
  ATRIUM_BILLING_WEBHOOK_SECRET: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(16, 'each secret must have at least 16 characters'))),
  ATRIUM_BILLING_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  ATRIUM_DEFAULT_MONTHLY_BUDGET_USD: optional(z.coerce.number().min(0).max(1_000_000)),
  ATRIUM_REFUND_MAX_CENTS: z.coerce.number().int().min(1).max(100_000_000).default(50_000),
  ATRIUM_HTTP_TOOL_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$/, 'each must be a host name, optionally starting with *.'))),
});

/** USD per 1M tokens; override or extend with ATRIUM_MODEL_PRICES. */
export const defaultModelPrices: Record<string, ModelPrice> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1': { input: 2, output: 8 },
};

export interface ModelPrice {
  input: number;
  output: number;
}

export interface LlmConfig {
  /** A model counts as configured when OPENAI_BASE_URL or OPENAI_API_KEY is set; otherwise retrieval-only. */
  configured: boolean;
  baseUrl: string | null;
  apiKey: string | null;
  models: { small: string; large: string };
  prices: Record<string, ModelPrice>;
  timeoutMs: number;
  maxRetries: number;
  breaker: { failures: number; cooldownMs: number };
  historyTokenBudget: number;
  /** A generating instance renews this lease; an answer whose lease runs out is marked interrupted. */
  answerLeaseMs: number;
  /**
   * A streamed answer's deltas are shown every 50 ms but stored together every this many ms
   * (ATRIUM_ANSWER_PERSIST_MS, default 2,000; 50..10,000): one transaction per persist instead of
   * per delta (issue 12). 2 s bounds what a crash loses (the answer is swept as interrupted
   * anyway, keeping what was stored) and how late a reconnecting tab gets the deltas it missed
   * (the replay holds what is stored; the rest comes with the next persist).
   */
  answerPersistMs: number;
  /** Longest an answer may take from its first request to its last token, retries included (ms). */
  answerDeadlineMs: number;
  /** Most characters an answer may hold; a longer reply is ended there. */
  answerMaxChars: number;
  /** Most tool calls (steps) one answer may make; past it the model is offered no tools and must answer. */
  maxSteps: number;
}

export interface RegistryConfig {
  /** Origins a version may be served from instead of the BFF (also allowed by the CSP). */
  remoteOrigins: string[];
  /**
   * `once`: at start-up, publish and promote `remotes/<name>/dist` of each remote the registry has
   * no version of (an empty registry is seeded once; after that, releases are people's).
   * `watch` (`pnpm dev` only): also publish every rebuilt dist as a `-dev.<hash>` version and make it
   * stable, unless a person made a release decision since the last automatic one.
   */
  seedLocalRemotes: 'off' | 'once' | 'watch';
  /**
   * ATRIUM_REQUIRE_SIGNED_RELEASES=true: a publish without a valid signature by an active key of the
   * remote is refused (422 release.signature_required), and so is promoting, canarying or rolling
   * back to a version that is unsigned or signed by a key revoked since. Production should set it.
   */
  requireSignedReleases: boolean;
  /** Canary auto-rollback: failure rate over a window, once enough signed-in users loaded it. */
  canary: { windowSeconds: number; minSample: number; maxFailureRate: number };
}

export interface DocumentsConfig {
  /** Where uploaded files live, content-addressed (documents/store.ts). */
  dir: string;
  /** Largest upload accepted, in bytes (413 above). */
  uploadMaxBytes: number;
  /** A PDF with more pages fails as `document.too_many_pages` before any page is read. */
  pdfMaxPages: number;
  /**
   * Load the demo knowledge base (`bff/demo-kb`) at start-up when no demo document exists yet.
   * Default on with the embedded database, off with DATABASE_URL (production never seeds it unless asked).
   */
  seedDemoKb: boolean;
  /** Where the demo knowledge base and its manifest.json live. */
  demoKbDir: string;
}

export interface WorkerConfig {
  /** `inline`: this process runs the job worker too (the embedded default); `off`: a separate `worker` process does. */
  mode: 'inline' | 'off';
  /** Documents ingested at once by one worker process. */
  ingestConcurrency: number;
}

/**
 * Failed sign-ins counted over one sliding window (OWASP Authentication Cheat Sheet: limit by
 * client and by account, since an attacker spreads guesses over whichever one is not limited).
 * NIST SP 800-63B caps consecutive failures per account at 100, hence the account maximum.
 */
export interface SignInLimitConfig {
  windowMs: number;
  /** One client and one email: a person mistyping. */
  perAccountAndClient: number;
  /** One client, any emails: one source trying many accounts. */
  perClient: number;
  /** One email, any clients: many sources guessing one account; it is locked until the window slides. */
  perAccount: number;
}

export interface ToolsConfig {
  /** Largest refund `issue_refund` accepts, in cents (a bigger amount is invalid arguments). */
  refundMaxCents: number;
  /**
   * Hosts an admin-configured HTTP tool may call (`api.example.com`, or `*.example.com` for its
   * subdomains). Empty: no HTTP tool can be saved or called.
   */
  httpAllowHosts: string[];
}

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
  signInLimits: SignInLimitConfig;
  bodyLimitBytes: number;
  /** The repo root: `shell/dist` and `remotes/<name>/dist` are found under it. */
  staticDir: string;
  /** Inline the caller's remote map into the shell's HTML; off, the shell fetches `/api/remotes` itself. */
  inlineRemoteMap: boolean;
  logLevel: LogLevel;
  observability: ObservabilityConfig;
  registry: RegistryConfig;
  /** Set: events fan out across instances through Redis; unset: an in-process bus. */
  redisUrl: string | null;
  /** Users' event-log rows older than this are trimmed; a reconnect from before them is told to resync. */
  eventRetentionMs: number;
  llm: LlmConfig;
  retrieval: RetrievalConfig;
  documents: DocumentsConfig;
  worker: WorkerConfig;
  guardrails: GuardrailsConfig;
  drafts: DraftsConfig;
  tools: ToolsConfig;
  usage: UsageConfig;
  billing: BillingConfig;
}

export interface BillingConfig {
  /**
   * Secrets the billing webhook's HMAC may be made with: one, or two while rotating (the old
   * one is removed once the provider signs with the new). Empty: the webhook answers 503.
   */
  webhookSecrets: string[];
  /** How far the signature's timestamp may be from now, either way (s; 300 is Stripe's default). */
  toleranceSeconds: number;
}

export interface ObservabilityConfig {
  /** `ATRIUM_METRICS_TOKEN`: the bearer token `/metrics` asks for; null: `/metrics` is off (404). */
  metricsToken: string | null;
  /** Set from `OTEL_EXPORTER_OTLP_ENDPOINT`: spans are exported over OTLP/HTTP; null: tracing is off. */
  tracing: { otlpEndpoint: string; serviceName: string | null } | null;
}

export interface UsageConfig {
  /**
   * The monthly budget (USD, calendar month UTC) of a user without one of their own
   * (ATRIUM_DEFAULT_MONTHLY_BUDGET_USD); null = unlimited. Budgets are per user: there are no teams.
   */
  defaultMonthlyBudgetUsd: number | null;
}

export interface GuardrailsConfig {
  /** What the output layer masks in answers before they are stored or streamed (guardrails/output-mask.ts). */
  mask: MaskPolicy;
}

export interface DraftsConfig {
  /** A pending draft not fully decided within this many ms expires (issue 10; default 24 h: one working day for each time zone). */
  ttlMs: number;
  /** Drafts one requester may have pending at once; one more is refused 429 `draft.too_many_pending`. */
  maxPending: number;
}

export interface RetrievalConfig {
  /** Null (the embedded default): full-text search only, labelled so at start-up and in /readyz. */
  embedding: { model: string; baseUrl: string | null; apiKey: string | null; timeoutMs: number } | null;
  /** Passages given to the model (or quoted in retrieval-only mode) per question. */
  topK: number;
}

/**
 * Stored files belong to one database: a delete removes a file once no document row names it,
 * so two databases sharing a directory could remove each other's files. An in-memory database
 * (`ATRIUM_DATA_DIR=memory://`, as the evals and e2e runs use) gets a fresh temporary directory
 * of its own; otherwise `.data/documents` beside the embedded database.
 */
function defaultDocumentDir(pgliteDataDir: string | null): string {
  if (pgliteDataDir === 'memory://') return path.join(tmpdir(), `atrium-documents-${process.pid}-${randomUUID()}`);
  return path.join(repoRoot, '.data', 'documents');
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
    signInLimits: {
      windowMs: 15 * 60_000,
      perAccountAndClient: Math.min(5, e.ATRIUM_SIGN_IN_CLIENT_FAILURES, e.ATRIUM_SIGN_IN_ACCOUNT_FAILURES),
      perClient: e.ATRIUM_SIGN_IN_CLIENT_FAILURES,
      perAccount: e.ATRIUM_SIGN_IN_ACCOUNT_FAILURES,
    },
    bodyLimitBytes: e.ATRIUM_BODY_LIMIT_KB * 1024,
    staticDir: path.resolve(e.ATRIUM_STATIC_DIR ?? repoRoot),
    inlineRemoteMap: e.ATRIUM_INLINE_REMOTE_MAP === 'true',
    logLevel: e.LOG_LEVEL,
    observability: {
      metricsToken: e.ATRIUM_METRICS_TOKEN ?? null,
      tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT
        ? { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME ?? null }
        : null,
    },
    registry: {
      remoteOrigins: e.ATRIUM_REMOTE_ORIGINS,
      seedLocalRemotes: ({ true: 'once', false: 'off', watch: 'watch' } as const)[e.ATRIUM_SEED_LOCAL_REMOTES],
      requireSignedReleases: e.ATRIUM_REQUIRE_SIGNED_RELEASES === 'true',
      canary: {
        windowSeconds: e.ATRIUM_CANARY_WINDOW_SECONDS,
        minSample: e.ATRIUM_CANARY_MIN_SAMPLE,
        maxFailureRate: e.ATRIUM_CANARY_MAX_FAILURE_RATE,
      },
    },
    redisUrl: e.REDIS_URL ?? null,
    eventRetentionMs: e.ATRIUM_EVENT_RETENTION_HOURS * 3_600_000,
    llm: {
      configured: Boolean(e.OPENAI_BASE_URL || e.OPENAI_API_KEY),
      baseUrl: e.OPENAI_BASE_URL ?? null,
      apiKey: e.OPENAI_API_KEY ?? null,
      models: { small: e.ATRIUM_MODEL_SMALL, large: e.ATRIUM_MODEL_LARGE },
      prices: { ...defaultModelPrices, ...e.ATRIUM_MODEL_PRICES },
      timeoutMs: e.ATRIUM_LLM_TIMEOUT_MS,
      maxRetries: e.ATRIUM_LLM_MAX_RETRIES,
      breaker: { failures: e.ATRIUM_BREAKER_FAILURES, cooldownMs: e.ATRIUM_BREAKER_COOLDOWN_MS },
      historyTokenBudget: e.ATRIUM_HISTORY_TOKEN_BUDGET,
      answerLeaseMs: e.ATRIUM_ANSWER_LEASE_MS,
      answerPersistMs: e.ATRIUM_ANSWER_PERSIST_MS,
      answerDeadlineMs: e.ATRIUM_ANSWER_DEADLINE_MS,
      answerMaxChars: e.ATRIUM_ANSWER_MAX_CHARS,
      maxSteps: e.ATRIUM_AGENT_MAX_STEPS,
    },
    retrieval: {
      embedding: e.ATRIUM_EMBEDDING_MODEL
        ? {
            model: e.ATRIUM_EMBEDDING_MODEL,
            baseUrl: e.ATRIUM_EMBEDDING_BASE_URL ?? e.OPENAI_BASE_URL ?? null,
            apiKey: e.ATRIUM_EMBEDDING_API_KEY ?? e.OPENAI_API_KEY ?? null,
            timeoutMs: e.ATRIUM_LLM_TIMEOUT_MS,
          }
        : null,
      topK: e.ATRIUM_RETRIEVAL_TOP_K,
    },
    documents: {
      dir: path.resolve(e.ATRIUM_DOCUMENT_DIR ?? defaultDocumentDir(e.DATABASE_URL ? null : dataDir)),
      uploadMaxBytes: e.ATRIUM_UPLOAD_MAX_BYTES,
      pdfMaxPages: e.ATRIUM_PDF_MAX_PAGES,
      seedDemoKb: e.ATRIUM_SEED_DEMO_KB ? e.ATRIUM_SEED_DEMO_KB === 'true' : !e.DATABASE_URL,
      demoKbDir: path.join(bffRoot, 'demo-kb'),
    },
    worker: { mode: e.ATRIUM_WORKER, ingestConcurrency: e.ATRIUM_INGEST_CONCURRENCY },
    guardrails: {
      mask: {
        kinds: [
          ...(e.ATRIUM_MASK_SECRETS === 'true' ? secretKinds : []),
          ...((e.ATRIUM_MASK_EMAILS === 'true' ? ['email'] : []) as MaskKind[]),
          ...((e.ATRIUM_MASK_PHONES === 'true' ? ['phone'] : []) as MaskKind[]),
          ...((e.ATRIUM_MASK_CARDS === 'true' ? ['card_number'] : []) as MaskKind[]),
        ],
      },
    },
    drafts: { ttlMs: e.ATRIUM_DRAFT_TTL_MS, maxPending: e.ATRIUM_DRAFT_MAX_PENDING },
    tools: { refundMaxCents: e.ATRIUM_REFUND_MAX_CENTS, httpAllowHosts: e.ATRIUM_HTTP_TOOL_ALLOW_HOSTS },
    billing: {
      webhookSecrets: e.ATRIUM_BILLING_WEBHOOK_SECRET,
      toleranceSeconds: e.ATRIUM_BILLING_WEBHOOK_TOLERANCE_SECONDS,
    },
    usage: { defaultMonthlyBudgetUsd: e.ATRIUM_DEFAULT_MONTHLY_BUDGET_USD ?? null },
  };
}
