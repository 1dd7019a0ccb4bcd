import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCell, parseCell, POINT_COLUMNS, LAYER_COLUMNS, PARETO_COLUMNS, type Column } from '../../src/report/columns.js';
import { CsvWriter, readCsvFields, readCsvRecords } from '../../src/report/csv.js';
import { rng } from '../rng.js';
import { tempDir } from '../sweep/helpers.js';

const cols: Column[] = [
  { name: 'job', type: 'int', doc: '' },
  { name: 'text', type: 'str', doc: '' },
  { name: 'x', type: 'num', doc: '' },
  { name: 'ok', type: 'bool', doc: '' },
];

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('CSV writer and reader', () => {
  it('quotes what needs quoting and reads it back exactly (commas, quotes, line breaks, unicode), across chunk boundaries', async () => {
    const dir = tempDir('csv');
    const file = path.join(dir, 't.csv');
    const w = new CsvWriter(file, cols);
    const r = rng(3);
    const nasty = ['plain', 'a,b', 'say "hi"', 'two\nlines', '"', '""', ',', 'µs × ∞ ▲', '', ' lead', 'crlf\r\nend'];
    const rows = Array.from({ length: 5000 }, (_, i) => [i, nasty[i % nasty.length] + 'x'.repeat(r.int(0, 40)), i % 7 === 0 ? null : r.next() * 10 ** r.int(-8, 12), i % 2 === 0]);
    for (let i = 0; i < rows.length; i += 97) await w.write(rows.slice(i, i + 97));
    expect(existsSync(file)).toBe(false); // not there until closed: no half-written file
    await w.close();
    expect(readdirSync(dir)).toEqual(['t.csv']);
    expect(readFileSync(file).length).toBeGreaterThan(1 << 17); // several read chunks
    const back = await all(readCsvRecords<{ job: number; text: string; x: number | null; ok: boolean }>(file, cols));
    expect(back.map((b) => [b.job, b.text, b.x, b.ok])).toEqual(rows);
  });

  it('a doubled quote split across two read chunks', async () => {
    const dir = tempDir('csv-split');
    const file = path.join(dir, 's.csv');
    // The reader takes 64 KiB chunks: put the "" of a quoted field exactly on the boundary.
    const pad = 'p'.repeat((1 << 16) - 'a,"'.length - 1);
    writeFileSync(file, `a,"${pad}""q"\n1,2\n`);
    const recs = await all(readCsvFields(file));
    expect(recs).toEqual([['a', `${pad}"q`], ['1', '2']]);
  });

  it('reads any text as the character-wise RFC 4180 state machine does, across chunk boundaries', async () => {
    // The reference: one character at a time over the whole text (quotes may open mid-field, CR is dropped
    // outside quotes, a last record needs no line break).
    const reference = (s: string): string[][] => {
      const out: string[][] = [];
      let field = '';
      let record: string[] = [];
      let quoted = false;
      let any = false;
      for (let i = 0; i < s.length; i++) {
        const ch = s[i];
        if (quoted) {
          if (ch === '"') {
            if (s[i + 1] === '"') { field += '"'; i++; } else quoted = false;
          } else field += ch;
        } else if (ch === '"') { quoted = true; any = true; }
        else if (ch === ',') { record.push(field); field = ''; any = true; }
        else if (ch === '\n') { record.push(field); out.push(record); record = []; field = ''; any = false; }
        else if (ch !== '\r') { field += ch; any = true; }
      }
      if (any || record.length) { record.push(field); out.push(record); }
      return out;
    };
    const r = rng(11);
    const alphabet = ['a', 'b', ',', '"', '""', '\n', '\r\n', '\r', 'µ', '▲'];
    for (let k = 0; k < 6; k++) {
      // Over 64 KiB (the read chunk), with every special character near a chunk boundary somewhere.
      const parts: string[] = [];
      for (let n = 0; n < 60000; n++) parts.push(alphabet[r.int(0, alphabet.length - 1)]);
      if (k % 2) parts.push('x');
      const text = parts.join('');
      const file = path.join(tempDir('csv-any'), 'a.csv');
      writeFileSync(file, text);
      expect(await all(readCsvFields(file))).toEqual(reference(text));
    }
  });

  it('abort() leaves nothing behind', async () => {
    const dir = tempDir('csv-abort');
    const w = new CsvWriter(path.join(dir, 'a.csv'), cols);
    await w.write([[1, 'x', 1, true]]);
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('numbers round-trip exactly through their CSV text, so merged shards re-serialise to the same bytes', () => {
    const r = rng(11);
    for (let i = 0; i < 10_000; i++) {
      const x = (r.next() - 0.5) * 10 ** r.int(-12, 15);
      expect(formatCell(parseCell('num', formatCell(x)))).toBe(formatCell(x));
      expect(parseCell('num', formatCell(x))).toBe(x);
    }
    expect(formatCell(null)).toBe('');
    expect(parseCell('num', '')).toBeNull();
    expect(parseCell('str', '')).toBe('');
    expect(parseCell('bool', 'true')).toBe(true);
    expect(() => formatCell(Number.NaN)).toThrow(/non-finite/);
  });

  it('every column has a unique name, a type and a description (the README lists them)', () => {
    for (const list of [POINT_COLUMNS, LAYER_COLUMNS, PARETO_COLUMNS]) {
      expect(new Set(list.map((c) => c.name)).size).toBe(list.length);
      for (const c of list) expect(c.doc.length).toBeGreaterThan(3);
    }
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Sweeps and reports'));
    for (const c of [...POINT_COLUMNS, ...LAYER_COLUMNS, ...PARETO_COLUMNS]) expect(section).toContain(`\`${c.name}\``);
  });
});
