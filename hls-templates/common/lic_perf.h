// Counting shim of a lic-dse HLS project (`make perf`): compiled only with -DLIC_PERF, otherwise every macro is
// empty and the kernel is exactly the synthesised one.
//
// The kernel marks what hardware would spend cycles on, and nothing else:
//   LIC_PERF_LAYER(id, estimate)      a new layer (estimate: lic-dse's cycles for it, printed beside the count)
//   LIC_PERF_ENTER(proc, depth)       a pipelined loop of process `proc` starts: its pipeline fills once (depth),
//                                     paid when it runs its first trip
//   LIC_PERF_TRIP(proc, loop)         one iteration of a pipelined loop (II = 1)
//   LIC_PERF_BEAT(proc, port, word, bytes)  one beat on an m_axi port at word address `word`
//   LIC_PERF_STEP()                   the end of a group of processes that run concurrently (a DATAFLOW
//                                     region, a ping-pong step): the group takes as long as its slowest member
//   LIC_PERF_ADD(cycles)              a fixed cost (e.g. a layer's descriptor read)
//   LIC_PERF_BUFFER(name, banks, width_bits, depth, impl)  an on-chip memory the code declares
//   LIC_PERF_MULT(kind, count)        multipliers the code instantiates (e.g. "dsp_packed2", "dsp")
//   LIC_PERF_INIT() / LIC_PERF_WRITE()  in the testbench: read LIC_PERF_COUNT_ONLY, write perf.json
//   LIC_PERF_COUNT_ONLY()             true when the arithmetic may be skipped (loops still run and count)
// Transactions are found as hardware forms them: consecutive word addresses on a port, inside one loop, up to
// LIC_PERF_MAX_BURST beats, make one burst. From the counts, a process's cycles in a step are
//   max(trips + pipeline fills, per port: max(beats * BEAT_CYCLES, ceil(transactions * LATENCY / OUTSTANDING)) + LATENCY)
// and a step also waits for the DRAM: whole LIC_PERF_GRANULE-byte accesses at LIC_PERF_DRAM_BPC bytes per cycle.
// The project's perf header defines the five LIC_PERF_* coefficients (from the board file) before this one, and
// LIC_PERF_STAGES where the layers are concurrent pipeline stages (perf.json then also gives the frame interval).
#ifndef LIC_PERF_H
#define LIC_PERF_H

#ifdef LIC_PERF
// Cycles a beat takes through the memory-side port (a width converter narrows wider kernel beats).
#ifndef LIC_PERF_BEAT_CYCLES
#define LIC_PERF_BEAT_CYCLES 1
#endif
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace lic_perf {

struct Port {
  long beats = 0, tx = 0, run = 0;
  long long next = -1;
  double dram_bytes = 0;
  int beat_bytes = 0;
};

struct Layer {
  std::string id;
  double estimate = 0, counted = 0;
  long steps = 0;
  std::map<std::string, long> trips, beats, tx;
};

struct Buffer {
  std::string name, impl;
  long banks, width, depth;
};

struct State {
  std::vector<Layer> layers;
  std::map<std::string, double> proc_cycles;  // trips + fills of each process in the open step
  std::map<std::string, int> pending;         // fill of a process's entered loop, not yet paid (no trip run)
  std::map<std::string, Port> ports;          // traffic of each port in the open step
  std::vector<Buffer> buffers;
  std::map<std::string, long> mults;
  bool count_only = false;
  // Last counters used (the hot path looks them up once per loop, not once per trip); `gen` invalidates them.
  long gen = 0;
  struct Cache { long gen = -1; const char* a = nullptr; const char* b = nullptr; double* c = nullptr; long* n = nullptr; Port* q = nullptr; };
  Cache trip_cache, beat_cache;
};

inline State& st() {
  static State s;
  return s;
}

inline Layer& cur() {
  State& s = st();
  if (s.layers.empty()) s.layers.push_back(Layer{"(none)"});
  return s.layers.back();
}

inline void close_tx(Port& q) {
  if (q.run > 0) {
    const double bytes = (double)q.run * q.beat_bytes;
    q.dram_bytes += std::ceil(bytes / LIC_PERF_GRANULE) * LIC_PERF_GRANULE;
  }
  q.run = 0;
}

inline double port_cycles(const Port& q) {
  if (q.beats == 0) return 0;
  const double lat = LIC_PERF_LATENCY;
  const double issue = std::ceil(q.tx * lat / LIC_PERF_OUTSTANDING);
  const double beats = (double)q.beats * LIC_PERF_BEAT_CYCLES;
  return (beats > issue ? beats : issue) + lat;
}

inline void step() {
  State& s = st();
  Layer& l = cur();
  double worst = 0, dram = 0;
  for (auto& kv : s.proc_cycles) worst = kv.second > worst ? kv.second : worst;
  for (auto& kv : s.ports) {
    Port& q = kv.second;
    close_tx(q);
    const double c = port_cycles(q);
    worst = c > worst ? c : worst;
    dram += q.dram_bytes;
    l.beats[kv.first] += q.beats;
    l.tx[kv.first] += q.tx;
  }
  const double d = dram / LIC_PERF_DRAM_BPC;
  l.counted += d > worst ? d : worst;
  if (worst > 0 || d > 0) ++l.steps;
  s.proc_cycles.clear();
  s.pending.clear();
  s.ports.clear();
  ++s.gen;
}

inline void layer(const char* id, double estimate) {
  State& s = st();
  if (!s.layers.empty()) step();
  Layer l;
  l.id = id;
  l.estimate = estimate;
  s.layers.push_back(l);
  ++s.gen;
}

inline void enter(const char* proc, int depth) {
  State& s = st();
  // The fill is paid on the loop's first trip: a loop that runs no trip (a zero-size tile) fills nothing.
  s.pending[proc] = depth;
  ++s.gen;
  // A new loop starts new bursts on every port.
  for (auto& kv : s.ports) {
    close_tx(kv.second);
    kv.second.next = -1;
  }
}

inline void trip(const char* proc, const char* loop) {
  State& s = st();
  State::Cache& k = s.trip_cache;
  if (k.gen != s.gen || k.a != proc || k.b != loop) {
    k.gen = s.gen; k.a = proc; k.b = loop;
    k.c = &s.proc_cycles[proc];
    k.n = &cur().trips[loop];
    auto p = s.pending.find(proc);
    if (p != s.pending.end()) {
      *k.c += p->second;
      s.pending.erase(p);
    }
  }
  *k.c += 1;
  ++*k.n;
}

inline void beat(const char* /*proc*/, const char* port, long long word, int bytes) {
  State& s = st();
  State::Cache& k = s.beat_cache;
  if (k.gen != s.gen || k.a != port) {
    k.gen = s.gen; k.a = port;
    k.q = &s.ports[port];
  }
  Port& q = *k.q;
  q.beat_bytes = bytes;
  if (word != q.next || q.run >= LIC_PERF_MAX_BURST) {
    close_tx(q);
    ++q.tx;
  }
  ++q.run;
  ++q.beats;
  q.next = word + 1;
}

inline void add(double cycles) { cur().counted += cycles; }

inline void buffer(const char* name, long banks, long width, long depth, const char* impl) {
  for (const Buffer& b : st().buffers) if (b.name == name) return;
  st().buffers.push_back(Buffer{name, impl, banks, width, depth});
}

inline void mult(const char* kind, long count) {
  long& m = st().mults[kind];
  if (count > m) m = count;
}

inline bool& count_only() { return st().count_only; }

// LIC_PERF_COUNT_ONLY=1 in the environment: loops run and count, the arithmetic is skipped (full-size layers).
inline void init() {
  const char* c = std::getenv("LIC_PERF_COUNT_ONLY");
  st().count_only = c && c[0] == '1';
}

// perf.json: per layer the estimate, the count, and the raw counts behind it; totals; the memories and
// multipliers the code declares.
inline bool write(const char* path) {
  step();
  State& s = st();
  const std::string tmp = std::string(path) + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) return false;
  double te = 0, tc = 0;
  std::fprintf(f, "{\n  \"layers\": [\n");
  bool first = true;
  for (const Layer& l : s.layers) {
    if (l.id == "(none)") continue;
    te += l.estimate;
    tc += l.counted;
    std::fprintf(f, "%s    { \"id\": \"%s\", \"estimateCycles\": %.0f, \"countedCycles\": %.0f, \"steps\": %ld,\n", first ? "" : ",\n", l.id.c_str(), l.estimate, std::ceil(l.counted), l.steps);
    first = false;
    const std::map<std::string, long>* maps[3] = {&l.trips, &l.beats, &l.tx};
    const char* names[3] = {"trips", "beats", "transactions"};
    for (int k = 0; k < 3; ++k) {
      std::fprintf(f, "      \"%s\": {", names[k]);
      bool f2 = true;
      for (auto& kv : *maps[k]) {
        std::fprintf(f, "%s\"%s\": %ld", f2 ? " " : ", ", kv.first.c_str(), kv.second);
        f2 = false;
      }
      std::fprintf(f, " }%s\n", k < 2 ? "," : "");
    }
    std::fprintf(f, "    }");
  }
  std::fprintf(f, "\n  ],\n  \"totalEstimate\": %.0f,\n  \"totalCounted\": %.0f,\n", te, std::ceil(tc));
#ifdef LIC_PERF_STAGES
  // Layers are concurrent stages (pipeline): the frame interval is the slowest stage's, not the sum.
  double fe = 0, fc = 0;
  for (const Layer& l : s.layers) {
    if (l.id == "(none)") continue;
    fe = l.estimate > fe ? l.estimate : fe;
    fc = l.counted > fc ? l.counted : fc;
  }
  std::fprintf(f, "  \"frameEstimate\": %.0f,\n  \"frameCounted\": %.0f,\n", fe, std::ceil(fc));
#endif
  std::fprintf(f, "  \"buffers\": [");
  first = true;
  for (const Buffer& b : s.buffers) {
    std::fprintf(f, "%s\n    { \"name\": \"%s\", \"banks\": %ld, \"widthBits\": %ld, \"depth\": %ld, \"impl\": \"%s\" }", first ? "" : ",", b.name.c_str(), b.banks, b.width, b.depth, b.impl.c_str());
    first = false;
  }
  std::fprintf(f, "\n  ],\n  \"multipliers\": {");
  first = true;
  for (auto& kv : s.mults) {
    std::fprintf(f, "%s \"%s\": %ld", first ? "" : ",", kv.first.c_str(), kv.second);
    first = false;
  }
  std::fprintf(f, " }\n}\n");
  std::fclose(f);
  return std::rename(tmp.c_str(), path) == 0;
}

}  // namespace lic_perf

#define LIC_PERF_LAYER(id, est) lic_perf::layer((id), (est))
#define LIC_PERF_ENTER(proc, depth) lic_perf::enter((proc), (depth))
#define LIC_PERF_TRIP(proc, loop) lic_perf::trip((proc), (loop))
#define LIC_PERF_BEAT(proc, port, word, bytes) lic_perf::beat((proc), (port), (long long)(word), (bytes))
#define LIC_PERF_STEP() lic_perf::step()
#define LIC_PERF_ADD(cycles) lic_perf::add(cycles)
#define LIC_PERF_BUFFER(name, banks, width, depth, impl) lic_perf::buffer((name), (banks), (width), (depth), (impl))
#define LIC_PERF_MULT(kind, count) lic_perf::mult((kind), (count))
#define LIC_PERF_COUNT_ONLY() (lic_perf::count_only())
#define LIC_PERF_INIT() lic_perf::init()
// perf.json, or the file named by LIC_PERF_OUT.
#define LIC_PERF_WRITE() lic_perf::write(std::getenv("LIC_PERF_OUT") ? std::getenv("LIC_PERF_OUT") : "perf.json")
#else
#define LIC_PERF_LAYER(id, est) ((void)0)
#define LIC_PERF_ENTER(proc, depth) ((void)0)
#define LIC_PERF_TRIP(proc, loop) ((void)0)
#define LIC_PERF_BEAT(proc, port, word, bytes) ((void)0)
#define LIC_PERF_STEP() ((void)0)
#define LIC_PERF_ADD(cycles) ((void)0)
#define LIC_PERF_BUFFER(name, banks, width, depth, impl) ((void)0)
#define LIC_PERF_MULT(kind, count) ((void)0)
#define LIC_PERF_COUNT_ONLY() false
#define LIC_PERF_INIT() ((void)0)
#define LIC_PERF_WRITE() true
#endif

#endif  // LIC_PERF_H
