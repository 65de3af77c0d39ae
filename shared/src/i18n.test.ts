import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTranslations } from './i18n.js';

beforeAll(async () => {
  await i18next.init({ lng: 'en', resources: {} });
});

describe('registerTranslations', () => {
  it('shows the strings of the build mounted last, not of an earlier build of the same remote', () => {
    registerTranslations({
      namespace: 'chat',
      translations: { en: { title: 'Chat', old: 'only in 1' }, 'zh-CN': { title: '聊天' } },
    });
    expect(i18next.t('title', { ns: 'chat' })).toBe('Chat');

    registerTranslations({
      namespace: 'chat',
      translations: { en: { title: 'Conversations' }, 'zh-CN': { title: '对话' } },
    });
    expect(i18next.t('title', { ns: 'chat' })).toBe('Conversations');
    expect(i18next.exists('old', { ns: 'chat' })).toBe(false);
  });
});
