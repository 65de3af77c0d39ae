import { defaultUploadMaxBytes } from '@atrium/contracts';
import { expect, test } from 'vitest';
import { formatBytes } from './formats.js';

test('sizes read in binary multiples with at most one decimal', () => {
  expect(formatBytes(defaultUploadMaxBytes, 'en')).toBe('25 MB');
  expect(formatBytes(1536, 'en')).toBe('1.5 kB');
  expect(formatBytes(900, 'en')).toBe('900B');
  expect(formatBytes(3.25 * 1024 ** 3, 'en')).toBe('3.3 GB');
});
