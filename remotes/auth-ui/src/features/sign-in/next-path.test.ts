import { expect, test } from 'vitest';
import { safeNextPath } from './next-path.js';

test('keeps same-origin relative paths', () => {
  expect(safeNextPath('/admin/users?tab=1#top')).toBe('/admin/users?tab=1#top');
  expect(safeNextPath('/chat')).toBe('/chat');
});

test('falls back to /chat for anything that could leave the site', () => {
  for (const raw of [
    null,
    '',
    'chat',
    '//evil.example',
    '/\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
  ]) {
    expect(safeNextPath(raw)).toBe('/chat');
  }
});
