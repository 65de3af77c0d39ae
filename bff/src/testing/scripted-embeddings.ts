import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { searchTokens } from '../retrieval/tokenize.js';

/**
 * A stand-in for an OpenAI-compatible `/embeddings` server (a boundary we don't own): each text
 * becomes a normalised bag of its search tokens hashed into `dims` buckets, so texts sharing
 * words are near each other — enough for vector search to be meaningful in tests, and
 * deterministic. Records every request; `failNext(n)` answers 500 n times.
 */
export interface ScriptedEmbeddings {
  baseUrl: string;
  model: string;
  dims: number;
  /** Every input text sent, in order, across requests. */
  inputs: string[];
  requests: number;
  failNext(times: number): void;
  close(): Promise<void>;
}

export function embedText(text: string, dims: number): number[] {
  const vector = new Array<number>(dims).fill(0);
  for (const token of searchTokens(text)) {
    const digest = createHash('sha256').update(token).digest();
    const bucket = digest.readUInt32BE(0) % dims;
    vector[bucket] = (vector[bucket] ?? 0) + (digest[4]! % 2 === 0 ? 1 : -1);
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

export async function startScriptedEmbeddings(
  options: { dims?: number; model?: string } = {},
): Promise<ScriptedEmbeddings> {
  const dims = options.dims ?? 64;
  const model = options.model ?? 'scripted-embedding';
  let failures = 0;
  const state = { inputs: [] as string[], requests: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      state.requests += 1;
      if (!req.url?.endsWith('/embeddings')) {
        res.writeHead(404).end();
        return;
      }
      if (failures > 0) {
        failures -= 1;
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'scripted failure' } }));
        return;
      }
      const parsed = JSON.parse(body) as { input: string | string[] };
      const inputs = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
      state.inputs.push(...inputs);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          model,
          data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: embedText(text, dims) })),
          usage: { prompt_tokens: 0, total_tokens: 0 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    model,
    dims,
    get inputs() {
      return state.inputs;
    },
    get requests() {
      return state.requests;
    },
    failNext(times) {
      failures = times;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
