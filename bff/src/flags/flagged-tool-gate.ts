import { flagKeys } from '@atrium/contracts';
import type { ToolGate } from '../tools/tool.js';
import type { FeatureFlags } from './flags.js';

/**
 * The agent's view of the gate behind the `agent.tools` feature flag: off for the caller, the
 * model is offered no tools (it answers from the knowledge base alone) and a call it makes anyway
 * is refused `tool.forbidden`. `get` passes through: a draft people already approved still runs.
 * /mcp keeps the plain gate; it has its own flag (`mcp.server`).
 */
export function flaggedToolGate(gate: ToolGate, flags: Pick<FeatureFlags, 'isOn'>): ToolGate {
  return {
    toolsFor: async (caller) =>
      (await flags.isOn({ id: caller.userId, role: caller.role }, flagKeys.agentTools)) ? gate.toolsFor(caller) : [],
    call: async (caller, name, rawArguments, origin, signal) =>
      (await flags.isOn({ id: caller.userId, role: caller.role }, flagKeys.agentTools))
        ? gate.call(caller, name, rawArguments, origin, signal)
        : {
            kind: 'refused',
            code: 'tool.forbidden',
            message: "The agent's tools are turned off for you (agent.tools).",
          },
    get: (name) => gate.get(name),
  };
}
