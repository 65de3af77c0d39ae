import type { Citation } from '@atrium/contracts';
import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { beforeAll, describe, expect, test } from 'vitest';
import { en } from '../../../i18n/en.js';
import { zhCN } from '../../../i18n/zh-CN.js';
import type { PassageResponse } from '../api.js';
import type { SourcePassage } from '../source-passage.js';
import { SourceBody } from './source-dialog.js';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    lng: 'en',
    resources: { en: { chat: en }, 'zh-CN': { chat: zhCN } },
    defaultNS: 'chat',
    interpolation: { escapeValue: false },
  });
});

const documentId = '0b8a3f4e-2d7c-4a51-9a8e-1f2d3c4b5a69';
const citation: Citation = {
  n: 2,
  chunkId: '7c1e9d2a-4b3f-4e8a-8d6c-2a1b3c4d5e6f',
  documentId,
  documentTitle: 'Old handbook title',
  headingPath: ['Accounts'],
  page: 4,
  excerpt: 'Passwords are reset every week.',
};
const passage = (text: string, headingPath: string[]) => ({ ...citation, headingPath, charStart: 0, charEnd: 1, text });
const response = {
  document: { id: documentId, title: 'Handbook' },
  passage: passage('Passwords are reset every week.', ['Accounts', 'Passwords']),
  before: passage('Accounts are personal.', ['Accounts']),
  after: null,
} as unknown as PassageResponse;

const render = (state: SourcePassage, lng = 'en') => {
  void i18n.changeLanguage(lng);
  return renderToStaticMarkup(
    createElement(I18nextProvider, { i18n }, createElement(SourceBody, { citation, passage: state })),
  );
};

describe('the source dialog shows', () => {
  test('loading: where the citation points while the passage loads', () => {
    const html = render({ status: 'loading' });
    expect(html).toContain('Loading the passage…');
    expect(html).toContain('Old handbook title › Accounts');
    expect(html).toContain('page 4');
  });

  test('loaded: the passage highlighted after its neighbour, with the document as it is now', () => {
    const html = render({ status: 'loaded', response });
    expect(html).toContain('Handbook › Accounts › Passwords');
    expect(html).toContain(
      '<p class="chat-source-context">Accounts are personal.</p><p><mark data-testid="source-highlight">Passwords are reset every week.</mark></p>',
    );
    expect(html).not.toContain('Loading');
  });

  test('deleted: says so, with the excerpt stored with the citation, in both languages', () => {
    const html = render({ status: 'deleted' });
    expect(html).toContain('This source was deleted or is no longer visible to you.');
    expect(html).toContain('<blockquote>Passwords are reset every week.</blockquote>');
    const zh = render({ status: 'deleted' }, 'zh-CN');
    expect(zh).toContain('此来源已被删除，或你已无权查看。');
    expect(zh).toContain('第 4 页');
  });
});
