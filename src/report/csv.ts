import { createReadStream, createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { formatCell, parseCell, toRecord, type Column, type Row } from './columns.js';

/**
 * A CSV file written as rows arrive: to a temporary sibling, renamed into place by `close()`, deleted
 * by `abort()` — a reader never sees a half-written file. Cells are formatted by `formatCell` and
 * quoted by csv-stringify (RFC 4180), so the same rows give the same bytes.
 */
export class CsvWriter {
  readonly file: string;
  private readonly tmp: string;
  private readonly out: WriteStream;
  private failed: Error | undefined;
  rows = 0;

  constructor(file: string, readonly columns: Column[]) {
    this.file = file;
    this.tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    this.out = createWriteStream(this.tmp);
    this.out.on('error', (e) => { this.failed = e; });
    this.out.write(csvLines([columns.map((c) => c.name)]));
  }

  /** Append rows; resolves when the stream can take more (back-pressure). */
  async write(rows: Row[]): Promise<void> {
    if (this.failed) throw this.failed;
    if (!rows.length) return;
    this.rows += rows.length;
    if (!this.out.write(csvLines(rows.map((r) => r.map(formatCell))))) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => { this.out.off('error', onError); resolve(); };
        const onError = (e: Error) => { this.out.off('drain', onDrain); reject(e); };
        this.out.once('drain', onDrain);
        this.out.once('error', onError);
      });
    }
  }

  /** Flush and rename into place. */
  async close(): Promise<void> {
    if (this.failed) throw this.failed;
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    renameSync(this.tmp, this.file);
  }

  /** Stop and delete the temporary file. */
  abort(): void {
    this.out.destroy();
    rmSync(this.tmp, { force: true });
  }
}

/** A row's cells as the CSV file gives them back (formatCell, then parseCell): what a reader of the file sees. */
export const throughCsv = (columns: Column[], row: Row): Row => row.map((v, i) => parseCell(columns[i].type, formatCell(v)));

/** Rows of text cells → CSV lines (header included when given as a row). */
export function csvLines(rows: string[][]): string {
  return stringify(rows, { record_delimiter: 'unix' });
}

/**
 * Read a CSV file as arrays of fields, one record at a time (RFC 4180: quoted fields, doubled quotes,
 * line breaks inside quotes; LF or CRLF). Memory holds one chunk and one record, whatever the file size.
 * Runs of plain characters are sliced out of the chunk, not appended one by one: the report reads its
 * layers.csv back through here, and character-wise appends made that most of the report's time.
 */
export async function* readCsvFields(file: string): AsyncGenerator<string[]> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let any = false;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const s = chunk as string;
    const n = s.length;
    const out: string[][] = [];
    let i = 0;
    while (i < n) {
      if (quoted) {
        const q = s.indexOf('"', i);
        if (q < 0) {
          field += s.slice(i);
          break;
        }
        field += s.slice(i, q);
        // A doubled quote is a quote; a closing one may be the first half of a doubled quote split over two chunks (below).
        if (q + 1 < n && s.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          i = q + 2;
        } else {
          quoted = false;
          afterQuote = true;
          i = q + 1;
        }
        continue;
      }
      if (afterQuote && s.charCodeAt(i) === QUOTE) {
        field += '"';
        quoted = true;
        afterQuote = false;
        i++;
        continue;
      }
      afterQuote = false;
      let j = i;
      while (j < n && !special(s.charCodeAt(j))) j++;
      if (j > i) {
        field += s.slice(i, j);
        any = true;
        i = j;
        if (i === n) break;
      }
      const ch = s.charCodeAt(i++);
      if (ch === QUOTE) {
        quoted = true;
        any = true;
      } else if (ch === COMMA) {
        record.push(field);
        field = '';
        any = true;
      } else if (ch === LF) {
        record.push(field);
        out.push(record);
        record = [];
        field = '';
        any = false;
      } // CR: dropped (CRLF)
    }
    for (const r of out) yield r;
  }
  if (any || record.length) {
    record.push(field);
    yield record;
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
/** The characters that end a run of plain ones outside quotes. */
const special = (c: number) => c === QUOTE || c === COMMA || c === LF || c === CR;

/** Read a report CSV written with `columns` as typed records; the header must match. */
export async function* readCsvRecords<T>(file: string, columns: Column[]): AsyncGenerator<T> {
  let header = true;
  for await (const fields of readCsvFields(file)) {
    if (header) {
      const want = columns.map((c) => c.name).join(',');
      if (fields.join(',') !== want) throw new Error(`${file}: unexpected header (want ${want})`);
      header = false;
      continue;
    }
    if (fields.length !== columns.length) throw new Error(`${file}: a record has ${fields.length} fields, want ${columns.length}`);
    yield toRecord<T>(columns, fields.map((f, i) => parseCell(columns[i].type, f)));
  }
}

/** Read typed rows (arrays in column order). */
export async function* readCsvRows(file: string, columns: Column[]): AsyncGenerator<Row> {
  let header = true;
  for await (const fields of readCsvFields(file)) {
    if (header) { header = false; continue; }
    yield fields.map((f, i) => parseCell(columns[i].type, f));
  }
}
