import type { Role } from '@atrium/contracts';

/**
 * The name of each role, per language: one source for the shell's header and every remote that
 * shows roles (each spreads it into its own namespace as `roles`).
 */
export const roleNames: Record<'en' | 'zh-CN', Record<Role, string>> = {
  en: {
    user: 'User',
    agent_l1: 'Agent (level 1)',
    agent_l2: 'Agent (level 2)',
    approver: 'Approver',
    admin: 'Administrator',
    ops: 'Operations',
  },
  'zh-CN': {
    user: '普通用户',
    agent_l1: '一线客服',
    agent_l2: '二线客服',
    approver: '审批人',
    admin: '管理员',
    ops: '运维',
  },
};
