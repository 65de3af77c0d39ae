import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Responder, type ScriptedLlm, startScriptedLlm } from '../../bff/src/testing/scripted-llm.js';
import { launchBrowser } from './browser.js';
import { type Product, startProduct } from './product.js';

export interface Journey {
  product: Product;
  browser: Browser;
  /** The scripted model, when the journey gave `model`; its `requests` show what the product asked. */
  llm: ScriptedLlm | null;
}

export interface JourneyOptions {
  /**
   * Configures a model: a scripted OpenAI-compatible server (bff/src/testing/scripted-llm.ts) is
   * started in the test process before the product, and the product's OPENAI_BASE_URL points at
   * it. It is the only test double of the journeys, at the LLM boundary: everything behind it —
   * BFF, worker, database, browser — is the real product. It answers each request by looking at
   * it (`Responder`), so a journey does not depend on how many model calls the product makes.
   */
  model?: Responder;
}

/** A fresh product (its own BFF and in-memory database) and a browser for one journey file. */
export function journey(env: Record<string, string> = {}, options: JourneyOptions = {}): Journey {
  const started = { llm: null } as Journey;
  beforeAll(async () => {
    let productEnv = env;
    if (options.model) {
      // No answer matched: a plain sentence, as a model that has nothing to do says.
      started.llm = await startScriptedLlm({ steps: [{ text: 'I can help with that.' }] }, options.model);
      productEnv = { OPENAI_BASE_URL: started.llm.url, OPENAI_API_KEY: 'scripted', ...env };
    }
    [started.product, started.browser] = await Promise.all([startProduct(productEnv), launchBrowser()]);
  });
  afterAll(async () => {
    await started.browser?.close();
    await started.product?.stop();
    await started.llm?.close();
  });
  return started;
}
