import { XMLParser } from 'fast-xml-parser';

/** The numbers lic-dse compares from a Vitis HLS / Vivado HLS C-synthesis report (`*_csynth.xml`). */
export interface CsynthReport {
  /** ReportVersion/Version, e.g. "2018.3" or "2023.2". */
  version: string | null;
  top: string | null;
  part: string | null;
  targetClockNs: number | null;
  estimatedClockNs: number | null;
  /** Clock cycles; null where the report says "undef" (data-dependent loop bounds). */
  latency: { best: number | null; worst: number | null };
  interval: { min: number | null; max: number | null };
  resources: { dsp: number | null; bram18: number | null; lut: number | null; ff: number | null; uram: number | null };
  /** "DSP48E" (Vivado HLS and early Vitis HLS) or "DSP" (later Vitis HLS): the tag the count came from. */
  dspTag: string | null;
}

type Node = Record<string, unknown>;
const num = (v: unknown): number | null => {
  if (v === undefined || v === null || typeof v === 'object') return null;
  const n = Number(String(v).trim());
  return Number.isFinite(n) ? n : null;
};
const str = (v: unknown): string | null => (v === undefined || v === null || typeof v === 'object' ? null : String(v).trim() || null);

/**
 * Parse a csynth.xml. The schema (profile → ReportVersion, UserAssignments, PerformanceEstimates →
 * SummaryOfTimingAnalysis / SummaryOfOverallLatency, AreaEstimates → Resources) is the one Vivado HLS and
 * Vitis HLS write under solution*\/syn/report (classic) and <component>/hls/syn/report (Unified, UG1399
 * "Output of C Synthesis"); DSPs are <DSP48E> in older releases and <DSP> in newer ones.
 * Returns undefined when the text is not such a report.
 */
export function parseCsynthXml(text: string): CsynthReport | undefined {
  let doc: Node;
  try {
    doc = new XMLParser({ parseTagValue: false, ignoreAttributes: true }).parse(text) as Node;
  } catch {
    return undefined;
  }
  const root = (doc.profile ?? doc.Report) as Node | undefined;
  if (!root || typeof root !== 'object') return undefined;
  const area = ((root.AreaEstimates as Node | undefined)?.Resources ?? {}) as Node;
  const perf = (root.PerformanceEstimates ?? {}) as Node;
  const lat = (perf.SummaryOfOverallLatency ?? {}) as Node;
  const ua = (root.UserAssignments ?? {}) as Node;
  if (!root.AreaEstimates && !root.PerformanceEstimates) return undefined;
  const dspTag = 'DSP' in area ? 'DSP' : 'DSP48E' in area ? 'DSP48E' : null;
  return {
    version: str((root.ReportVersion as Node | undefined)?.Version),
    top: str(ua.TopModelName),
    part: str(ua.Part),
    targetClockNs: num(ua.TargetClockPeriod),
    estimatedClockNs: num((perf.SummaryOfTimingAnalysis as Node | undefined)?.EstimatedClockPeriod),
    latency: { best: num(lat['Best-caseLatency']), worst: num(lat['Worst-caseLatency']) },
    interval: { min: num(lat['Interval-min']), max: num(lat['Interval-max']) },
    resources: {
      dsp: dspTag ? num(area[dspTag]) : null,
      bram18: num(area.BRAM_18K),
      lut: num(area.LUT),
      ff: num(area.FF),
      uram: num(area.URAM),
    },
    dspTag,
  };
}
