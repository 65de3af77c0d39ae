import { z } from 'zod';

export const roles = ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * Authorisation is data: each permission lists the roles that hold it.
 * The BFF enforces these on every route; the shell reads them only to hide what a role can't use.
 */
export const permissions = {
  'chat:use': ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'],
  'uploads:use': ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'],
  /** Publish a document to a shared audience, or change a document's audience (issue 9). */
  'documents:share': ['agent_l2', 'admin'],
  /** Opens the admin remote; each page inside needs its own permission (approvers see only Approvals). */
  'admin:view': ['approver', 'admin', 'ops'],
  'users:manage': ['admin'],
  'releases:read': ['admin', 'ops'],
  'releases:write': ['admin', 'ops'],
  'deploy_tokens:manage': ['admin'],
  'audit:read': ['admin', 'ops'],
  /** Configure tools: HTTP tools and external MCP servers, their risk and roles (issue 10). */
  'tools:manage': ['admin'],
  /** See the approvals queue and decide drafts at the levels that name one's role (issue 10). */
  'drafts:decide': ['approver', 'admin'],
  /** See the agent's tools, their risk and call statistics (issue 10). */
  'tools:read': ['admin', 'ops'],
  /** Read the tickets one may see (a `user` their own; support staff all): issue 10. */
  'tickets:read': ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'],
  /** Grant or revoke paid features and plans (issue 11). */
  'billing:manage': ['admin'],
  /** Define and edit agent profiles (issue 11). */
  'agents:manage': ['admin'],
  /** Toggle and target feature flags (issue 11). */
  'flags:manage': ['admin'],
  /** Usage and cost totals, and the ops dashboards (issue 11). */
  'usage:read': ['admin', 'ops'],
  'dashboards:read': ['admin', 'ops'],
  /** Register and revoke a remote's release-signing keys (issue 11). */
  'signing_keys:manage': ['admin'],
  'telemetry:write': ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function roleHas(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}
