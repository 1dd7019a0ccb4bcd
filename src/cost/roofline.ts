/**
 * Roofline of one layer (Williams et al. 2009; Zhang et al. FPGA'15 §3): attainable performance is
 * min(compute roof, CTC × bandwidth), CTC = ops per off-chip byte. A layer with no off-chip traffic
 * (a pipeline stage fed on chip) has no CTC and sits under the compute roof.
 */
export function roofline(ops: number, bytes: number, roofOpsPerSec: number, bytesPerSec: number) {
  const ctc = bytes > 0 ? ops / bytes : null;
  const mem = ctc === null ? Infinity : ctc * bytesPerSec;
  const attainable = Math.min(roofOpsPerSec, mem);
  return {
    ops,
    offchipBytes: bytes,
    ctc,
    attainableGops: attainable / 1e9,
    rooflineBound: (mem < roofOpsPerSec ? 'memory' : 'compute') as 'memory' | 'compute',
  };
}
