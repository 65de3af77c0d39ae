import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryFiles } from './make-binaries.js';

describe('make-binaries', () => {
  it.each(Object.entries(binaryFiles))('the committed %s is exactly what the script writes', async (file, build) => {
    const committed = new Uint8Array(await readFile(join(import.meta.dirname, file)));
    expect(Buffer.from(await build()).equals(committed)).toBe(true);
  });

  it('writes the same bytes whatever the local time zone', async () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      const far = await binaryFiles['service-level-agreement.docx']();
      process.env.TZ = 'America/Adak';
      const near = await binaryFiles['service-level-agreement.docx']();
      expect(Buffer.from(far).equals(Buffer.from(near))).toBe(true);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
