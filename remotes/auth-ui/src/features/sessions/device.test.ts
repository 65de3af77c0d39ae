import { expect, test } from 'vitest';
import { describeDevice, shortAgent } from './device.js';

test('names common browsers and systems', () => {
  const chromeMac =
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
  const edgeWindows =
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0';
  const safariIphone =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
  const firefoxLinux = 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0';
  expect(describeDevice(chromeMac)).toEqual({ browser: 'Chrome', os: 'macOS' });
  expect(describeDevice(edgeWindows)).toEqual({ browser: 'Edge', os: 'Windows' });
  expect(describeDevice(safariIphone)).toEqual({ browser: 'Safari', os: 'iOS' });
  expect(describeDevice(firefoxLinux)).toEqual({ browser: 'Firefox', os: 'Linux' });
});

test('leaves unknown agents to the caller', () => {
  expect(describeDevice(null)).toBeNull();
  expect(describeDevice('curl/8.5.0')).toBeNull();
  expect(shortAgent('curl/8.5.0')).toBe('curl/8.5.0');
  expect(shortAgent('x'.repeat(60))).toHaveLength(40);
});
