/** Post-synthesis or post-route utilisation from a Vivado `report_utilization` text report. */
export interface UtilizationReport {
  /** "Vivado v.2023.2" from the Tool Version line. */
  tool: string | null;
  state: string | null;
  lut: number | null;
  ff: number | null;
  /** Block RAM tiles are RAMB36: two BRAM18 each (UG573). */
  bram18: number | null;
  dsp: number | null;
  uram: number | null;
}

/** The "Used" cell of the first table row whose site type is one of `labels` (7-series and UltraScale names). */
function used(lines: string[], labels: string[]): number | null {
  for (const line of lines) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    if (labels.includes(cells[1])) {
      const n = Number(cells[2]);
      if (Number.isFinite(n)) return n;
    }
  }
  return null;
}

/** Parse a Vivado utilisation report; undefined when the text is not one. */
export function parseUtilization(text: string): UtilizationReport | undefined {
  if (!/report_utilization|Utilization Design Information/.test(text)) return undefined;
  const lines = text.split(/\r?\n/);
  const tool = /Tool Version\s*:\s*(Vivado v\.\d{4}\.\d+)/.exec(text)?.[1] ?? null;
  const state = /Design State\s*:\s*(\S+)/.exec(text)?.[1] ?? null;
  const tiles = used(lines, ['Block RAM Tile']);
  return {
    tool,
    state,
    lut: used(lines, ['CLB LUTs', 'Slice LUTs', 'CLB LUTs*', 'Slice LUTs*']),
    ff: used(lines, ['CLB Registers', 'Slice Registers']),
    bram18: tiles === null ? null : Math.round(tiles * 2),
    dsp: used(lines, ['DSPs']),
    uram: used(lines, ['URAM']),
  };
}
