import type { ActorView } from '@atrium/contracts';
import i18next from 'i18next';
import { beforeAll, expect, test } from 'vitest';
import { actorLabel } from './actor-name.js';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    resources: { en: { admin: en }, 'zh-CN': { admin: zhCN } },
    defaultNS: 'admin',
    interpolation: { escapeValue: false },
  });
});

const actors: ActorView[] = [
  { kind: 'system' },
  { kind: 'user', id: 'u1', displayName: 'Ada', email: 'ada@example.com' },
  { kind: 'former_user', id: '3f2a9c1d' },
  { kind: 'token', id: 't1', name: 'chat-core CI', remote: 'chat-core' },
  { kind: 'token', id: '9b8c7d6e-0000-0000-0000-000000000000', name: null, remote: null },
];

const labels = (lng: string) => {
  const t = i18n.getFixedT(lng, 'admin');
  return actors.map((actor) => actorLabel(actor, (key, values) => t(key, values ?? {})));
};

test('every actor is named in the reader’s language: no English words reach a zh-CN page', () => {
  expect(labels('en')).toEqual([
    'Atrium (automatic)',
    'Ada <ada@example.com>',
    'former user 3f2a9c1d',
    'deploy token chat-core CI (chat-core)',
    'deploy token 9b8c7d6e',
  ]);
  expect(labels('zh-CN')).toEqual([
    'Atrium（自动）',
    'Ada <ada@example.com>',
    '已删除的用户 3f2a9c1d',
    '部署令牌 chat-core CI（chat-core）',
    '部署令牌 9b8c7d6e',
  ]);
});
