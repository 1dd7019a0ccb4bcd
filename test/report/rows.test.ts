import { describe, expect, it } from 'vitest';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import { LAYER_COLUMNS, PARETO_COLUMNS, POINT_COLUMNS } from '../../src/report/columns.js';
import { keyFor, layerRecords, paretoRecords, pointRecord } from '../../src/report/rows.js';
import { explore } from '../../src/search/explore.js';

describe('report records', () => {
  it('have exactly their CSV columns (layers.csv records write their key cells out rather than spreading them)', () => {
    const req = { model: 'bmshj2018-factorized', platform: 'kv260', precision: 'int8', res: '128x128', arch: 'engine' as const, path: 'decode' as const };
    const base = basePoint(req);
    const c = contextFor(base);
    const r = explore(c.workload, c.platform, c.tables, base);
    const k = keyFor(req, 3);
    // The writer puts the cells in column order: a record needs every column's key and no other.
    const names = (cols: { name: string }[]) => cols.map((x) => x.name).sort();
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(pointRecord(k, r))).toEqual(names(POINT_COLUMNS));
    const layers = layerRecords(k, r);
    expect(layers.length).toBeGreaterThan(3);
    for (const l of layers) expect(keys(l)).toEqual(names(LAYER_COLUMNS));
    for (const p of paretoRecords(k, r)) expect(keys(p)).toEqual(names(PARETO_COLUMNS));
  });
});
