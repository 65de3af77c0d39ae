import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { type Product, startProduct } from './product.js';

export interface Journey {
  product: Product;
  browser: Browser;
}

/** A fresh product (its own BFF and in-memory database) and a browser for one journey file. */
export function journey(env: Record<string, string> = {}): Journey {
  const started = {} as Journey;
  beforeAll(async () => {
    [started.product, started.browser] = await Promise.all([startProduct(env), launchBrowser()]);
  });
  afterAll(async () => {
    await started.browser?.close();
    await started.product?.stop();
  });
  return started;
}
