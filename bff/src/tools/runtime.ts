import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Retriever } from '../retrieval/search.js';
import { builtinTools } from './builtin/index.js';
import { createToolGate } from './gate.js';
import { httpToolSource } from './http-tool.js';
import type { OutboundPolicy } from './outbound-guard.js';
import { createToolRegistry, type ToolRegistry } from './registry.js';
import type { DraftProposer, ToolGate, ToolSource } from './tool.js';

/** The agent's tools as the app and the worker see them. */
export interface Tools {
  registry: ToolRegistry;
  gate: ToolGate;
  /** What every admin-typed URL is checked against (HTTP tools; MCP servers). */
  outboundPolicy: OutboundPolicy;
}

/**
 * Until drafts are wired (bff/src/drafts/proposer.ts), a write cannot wait for approval, so the
 * gate refuses it with `tool.needs_person` rather than pretend.
 */
const noDrafts: DraftProposer = {
  propose: async () => {
    throw new AppError('tool.needs_person', 503, 'Proposals need the approvals queue, which is not available.');
  },
};

/**
 * Wires the registry (built-ins, HTTP tools from the database, `sources` such as MCP servers)
 * and the gate, once, from config. `outbound` overrides parts of the outbound policy: tests
 * exempt the address of a server they started; production passes nothing.
 */
export function createTools(options: {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  retriever: Retriever;
  proposer?: DraftProposer;
  sources?: readonly ToolSource[];
  outbound?: Partial<OutboundPolicy>;
}): Tools {
  const { config, db, clock, logger } = options;
  const outboundPolicy: OutboundPolicy = { allowHosts: config.tools.httpAllowHosts, ...options.outbound };
  const registry = createToolRegistry({
    builtins: builtinTools({ retriever: options.retriever, clock, refundMaxCents: config.tools.refundMaxCents }),
    http: httpToolSource(db, () => outboundPolicy),
    ...(options.sources ? { sources: options.sources } : {}),
  });
  const gate = createToolGate({ db, clock, logger, registry, proposer: options.proposer ?? noDrafts });
  return { registry, gate, outboundPolicy };
}
