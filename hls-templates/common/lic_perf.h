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
//   LIC_PERF_TICK()                   one II = 1 iteration of a process that is not a counted stage (a width
//                                     converter, dup, add, shuffle, memory reader/writer): advances only its clock
// Pipeline projects (LIC_PERF_STAGES) also trace the DATAFLOW region: every LIC_PROCESS has its own clock (its
// trips and fills, or its ticks), and every read and write of an hls::stream is stamped with the clock of the
// process doing it. At LIC_PERF_WRITE the traces are replayed as a timed dataflow simulation: each process runs
// its own stamps, a read waits until its word was written (a cycle earlier), a write waits until the FIFO (of its
// LIC_FIFO_DEPTH) has room, and a wait delays everything the process does after it. Replaying
// LIC_PERF_REPLAY_FRAMES frames back to back (each process starts the next frame when it has finished one) gives
// the frame interval with stalls, every FIFO's largest occupancy and the cycles its writer waited on it full,
// or names the streams a deadlock waits on (as LIC_THREADED_DATAFLOW does).
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
#include <algorithm>
#include <map>
#include <queue>
#include <string>
#include <utility>
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

// The stamps of one side (the writes, or the reads) of a FIFO, in order, as arithmetic runs: a side's stamps
// mostly advance by a fixed stride for a row at a time, so a frame's trace takes a few runs per row.
struct Run {
  long long first, stride;
  long count;
};
struct Side {
  int proc = -1;
  long n = 0;
  std::vector<Run> runs;
  void add(long long c) {
    ++n;
    if (!runs.empty()) {
      Run& r = runs.back();
      if (r.count == 1) { r.stride = c - r.first; r.count = 2; return; }
      if (c == r.first + r.stride * r.count) { ++r.count; return; }
    }
    runs.push_back(Run{c, 0, 1});
  }
};
struct Fifo {
  std::string name;
  long depth = 2;  // Vitis' default FIFO depth when no STREAM pragma gives one
  Side side[2];    // 0: reads, 1: writes
};
struct Proc {
  std::string name;
  long long end = 0;  // its clock when it returned: the cycles of one frame
};

struct State {
  std::vector<Layer> layers;
  // Whole cycles are counted in long, as the layers' trips: one map type fewer to compile in every counting build.
  std::map<std::string, long> proc_cycles;   // trips + fills of each process in the open step
  std::map<std::string, long> pending;       // fill of a process's entered loop, not yet paid (no trip run)
  std::map<std::string, long> port_ids;      // traffic of each port in the open step: its index in `ports`, by name
  std::vector<Port> ports;
  std::vector<Buffer> buffers;
  std::map<std::string, long> mults;
  bool count_only = false;
  // Last counters used (the hot path looks them up once per loop, not once per trip); `gen` invalidates them.
  long gen = 0;
  struct Cache { long gen = -1; const char* a = nullptr; const char* b = nullptr; long* c = nullptr; long* n = nullptr; Port* q = nullptr; };
  Cache trip_cache, beat_cache;
  // Dataflow trace: the process running (-1: none, e.g. the testbench) and its clock.
  std::vector<Fifo> fifos;
  std::vector<Proc> procs;
  int proc = -1;
  long long clock = 0;
  std::string deadlock;
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
  for (auto& kv : s.proc_cycles) worst = (double)kv.second > worst ? (double)kv.second : worst;
  for (auto& kv : s.port_ids) {
    Port& q = s.ports[kv.second];
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
  s.port_ids.clear();
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
  for (Port& q : s.ports) {
    close_tx(q);
    q.next = -1;
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
      s.clock += p->second;
      s.pending.erase(p);
    }
  }
  *k.c += 1;
  ++s.clock;
  ++*k.n;
}

inline void beat(const char* /*proc*/, const char* port, long long word, int bytes) {
  State& s = st();
  State::Cache& k = s.beat_cache;
  if (k.gen != s.gen || k.a != port) {
    k.gen = s.gen; k.a = port;
    // The pointer stays valid until another port is added, and the cache then points to that one.
    auto id = s.port_ids.find(port);
    if (id == s.port_ids.end()) {
      s.port_ids[port] = (long)s.ports.size();
      s.ports.push_back(Port());
      k.q = &s.ports.back();
    } else {
      k.q = &s.ports[id->second];
    }
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

inline void tick() { ++st().clock; }

// A process of the DATAFLOW region starts (its call text names it) or returns.
inline void process_begin(const char* text) {
  State& s = st();
  std::string t = text;
  if (t.compare(0, 5, "lic::") == 0) t = t.substr(5);
  const std::size_t paren = t.find('(');
  s.procs.push_back(Proc{paren == std::string::npos ? t : t.substr(0, paren), 0});
  s.proc = (int)s.procs.size() - 1;
  s.clock = 0;
}

inline void process_end() {
  State& s = st();
  if (s.proc >= 0) s.procs[s.proc].end = s.clock;
  s.proc = -1;
}

// A stream's index among the traced FIFOs (`id` lives in the stream; -1 until its first depth or event).
inline int fifo_index(int& id, const std::string& name) {
  State& s = st();
  if (id < 0) {
    s.fifos.push_back(Fifo{});
    s.fifos.back().name = name;
    id = (int)s.fifos.size() - 1;
  }
  return id;
}

inline void fifo_depth(int& id, const std::string& name, std::size_t depth) {
  st().fifos[fifo_index(id, name)].depth = depth < 1 ? 1 : (long)depth;
}

inline void fifo_event(int& id, const std::string& name, bool write) {
  State& s = st();
  if (s.proc < 0) return;
  Fifo& f = s.fifos[fifo_index(id, name)];
  Side& d = f.side[write ? 1 : 0];
  if (d.proc < 0) d.proc = s.proc;
  if (d.proc != s.proc && s.deadlock.empty()) s.deadlock = std::string("stream ") + f.name + (write ? " is written" : " is read") + " by two processes";
  d.add(s.clock);
}

// Replay of the traces (see the top of this file). Events are taken in time order (a heap of the processes'
// next events), so that a FIFO's occupancy is known at every write.
struct Replay {
  long frames = 0;
  double interval = 0, first = 0;
  std::vector<long> max_occ;
  std::vector<long long> stall;  // per FIFO: cycles its writer waited on it full, in the last frame
};

// bounded = false: every FIFO unbounded (the stages decoupled: what the estimate's max-of-stages composition assumes).
inline Replay replay(long frames, bool bounded = true) {
  State& s = st();
  Replay out;
  out.frames = frames;
  const int nf = (int)s.fifos.size(), np = (int)s.procs.size();
  out.max_occ.assign(nf, 0);
  out.stall.assign(nf, 0);
  if (frames < 1 || np == 0 || !s.deadlock.empty()) return out;
  struct Cursor {
    int fifo, side;
    std::size_t run;
    long idx;
  };
  struct P {
    std::vector<Cursor> cur;
    long long d = 0, t = 0;
    long frame = 0;
    int next = -1, blocked = -1;
    bool done = false;
  };
  struct F {
    long long reads = 0, writes = 0;
    std::vector<long long> wq;      // times of the words written, read from wq_head on (a deque would be one more
    std::size_t wq_head = 0;        // container type to compile)
    std::vector<long long> rt;      // times of the last `depth` reads
    std::vector<long long> stall;   // writer's waits per frame
    int waiting[2] = {-1, -1};      // process blocked on this FIFO, as reader / writer
  };
  std::vector<P> ps(np);
  std::vector<F> fs(nf);
  // What-if depths: LIC_PERF_FIFO_DEPTHS="s_g_s_3=64,w_=8" replays every FIFO whose name starts with a key at that
  // depth (perf.json still lists the declared depths).
  std::vector<long> depth(nf);
  for (int i = 0; i < nf; ++i) depth[i] = s.fifos[i].depth;
  if (const char* e = std::getenv("LIC_PERF_FIFO_DEPTHS")) {
    std::string spec = e;
    std::size_t a = 0;
    while (a < spec.size()) {
      std::size_t b = spec.find(',', a);
      if (b == std::string::npos) b = spec.size();
      const std::string item = spec.substr(a, b - a);
      const std::size_t eq = item.find('=');
      if (eq != std::string::npos) {
        const long d = std::atol(item.c_str() + eq + 1);
        for (int i = 0; i < nf; ++i) if (d > 0 && s.fifos[i].name.compare(0, eq, item, 0, eq) == 0) depth[i] = d;
      }
      a = b + 1;
    }
  }
  for (int i = 0; i < nf; ++i) {
    if (!bounded) depth[i] = 1;
    fs[i].rt.assign(depth[i], 0);
    fs[i].stall.assign(frames, 0);
    for (int k = 0; k < 2; ++k) {
      const Side& d = s.fifos[i].side[k];
      if (d.proc >= 0 && d.n > 0) ps[d.proc].cur.push_back(Cursor{i, k, 0, 0});
    }
  }
  std::vector<double> finish(frames, 0);
  auto stamp = [&](const P& p, const Cursor& c) {
    const Run& r = s.fifos[c.fifo].side[c.side].runs[c.run];
    return r.first + r.stride * c.idx + p.frame * s.procs[&p - &ps[0]].end;
  };
  // The process's next event (reads before writes at one stamp), across frames; false once it has run them all.
  auto pick = [&](int i) {
    P& p = ps[i];
    for (;;) {
      int best = -1;
      long long bt = 0;
      for (int k = 0; k < (int)p.cur.size(); ++k) {
        const Cursor& c = p.cur[k];
        if (c.run >= s.fifos[c.fifo].side[c.side].runs.size()) continue;
        const long long t = stamp(p, c);
        if (best < 0 || t < bt || (t == bt && c.side < p.cur[best].side)) { best = k; bt = t; }
      }
      if (best >= 0) {
        p.next = best;
        p.t = bt + p.d;
        return true;
      }
      const double end = (double)(p.frame + 1) * s.procs[i].end + p.d;
      finish[p.frame] = std::max(finish[p.frame], end);
      if (++p.frame == frames) { p.done = true; return false; }
      for (Cursor& c : p.cur) { c.run = 0; c.idx = 0; }
    }
  };
  typedef std::pair<long long, int> Item;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  auto wake = [&](int q, long long t) {
    P& w = ps[q];
    const long long nt = std::max(w.t, t + 1);
    const Cursor& c = w.cur[w.next];
    if (c.side == 1) fs[c.fifo].stall[w.frame] += nt - w.t;
    w.d += nt - w.t;
    w.t = nt;
    w.blocked = -1;
    heap.push(Item(nt, q));
  };
  for (int i = 0; i < np; ++i) if (pick(i)) heap.push(Item(ps[i].t, i));
  while (!heap.empty()) {
    const int i = heap.top().second;
    heap.pop();
    P& p = ps[i];
    for (;;) {
      Cursor& c = p.cur[p.next];
      F& f = fs[c.fifo];
      const long depth_c = depth[c.fifo];
      long long wait = -1;  // the time of the event this one waits for, if already done
      if (c.side == 0) {
        if (f.writes <= f.reads) { f.waiting[0] = i; p.blocked = p.next; break; }
        wait = f.wq[f.wq_head];
      } else if (bounded && f.writes >= depth_c) {
        if (f.reads <= f.writes - depth_c) { f.waiting[1] = i; p.blocked = p.next; break; }
        wait = f.rt[(f.writes - depth_c) % depth_c];
      }
      if (wait >= p.t) {
        const long long nt = wait + 1;
        if (c.side == 1) f.stall[p.frame] += nt - p.t;
        p.d += nt - p.t;
        p.t = nt;
        heap.push(Item(p.t, i));
        break;
      }
      if (c.side == 0) {
        if (++f.wq_head == f.wq.size()) {
          f.wq.clear();
          f.wq_head = 0;
        } else if (f.wq_head >= 4096 && 2 * f.wq_head >= f.wq.size()) {
          f.wq.erase(f.wq.begin(), f.wq.begin() + (long)f.wq_head);
          f.wq_head = 0;
        }
        f.rt[f.reads % depth_c] = p.t;
        ++f.reads;
        if (f.waiting[1] >= 0) { const int q = f.waiting[1]; f.waiting[1] = -1; wake(q, p.t); }
      } else {
        f.wq.push_back(p.t);
        ++f.writes;
        const long occ = (long)(f.writes - f.reads);
        if (occ > out.max_occ[c.fifo]) out.max_occ[c.fifo] = occ;
        if (f.waiting[0] >= 0) { const int q = f.waiting[0]; f.waiting[0] = -1; wake(q, p.t); }
      }
      const Run& r = s.fifos[c.fifo].side[c.side].runs[c.run];
      if (++c.idx == r.count) { ++c.run; c.idx = 0; }
      if (!pick(i)) break;
      if (!heap.empty() && heap.top().first < p.t) { heap.push(Item(p.t, i)); break; }
    }
  }
  for (int i = 0; i < np; ++i) {
    const P& p = ps[i];
    if (p.done) continue;
    if (s.deadlock.empty()) s.deadlock = "dataflow deadlock, every process is blocked:";
    if (p.blocked >= 0) {
      const Cursor& c = p.cur[p.blocked];
      s.deadlock += std::string("\n  ") + (c.side == 1 ? "write to full stream " : "read from empty stream ") + s.fifos[c.fifo].name + " (" + s.procs[i].name + ")";
    }
  }
  if (!s.deadlock.empty()) return out;
  out.first = finish[0];
  out.interval = frames > 1 ? finish[frames - 1] - finish[frames - 2] : finish[0];
  for (int i = 0; i < nf; ++i) out.stall[i] = fs[i].stall[frames - 1];
  return out;
}

// Frames the replay runs back to back (LIC_PERF_REPLAY_FRAMES, default 3): the interval is the last one's.
inline long replay_frames() {
  const char* e = std::getenv("LIC_PERF_REPLAY_FRAMES");
  return e ? std::atol(e) : 3;
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
  // The same stages replayed with their FIFOs: the frame interval with stalls, and each FIFO's use.
  const Replay r = replay(replay_frames());
  const Replay u = s.deadlock.empty() ? replay(replay_frames(), false) : Replay{};
  if (!s.deadlock.empty()) {
    std::fprintf(stderr, "lic_perf: replay: %s\n", s.deadlock.c_str());
    std::string esc;
    for (char ch : s.deadlock) esc += ch == '\n' ? std::string("\\n") : std::string(1, ch);
    std::fprintf(f, "  \"replay\": { \"frames\": %ld, \"deadlock\": \"%s\" },\n", r.frames, esc.c_str());
  } else {
    std::fprintf(f, "  \"frameReplayed\": %.0f,\n  \"frameDecoupled\": %.0f,\n  \"replay\": { \"frames\": %ld, \"firstFrameCycles\": %.0f },\n", r.interval, u.interval, r.frames, r.first);
  }
  // Each process's own cycles for a frame (its trips and fills, or its ticks): the replay's interval is at least
  // the largest, and exceeds it by the stalls.
  std::fprintf(f, "  \"processes\": [");
  for (std::size_t i = 0; i < s.procs.size(); ++i) std::fprintf(f, "%s\n    { \"name\": \"%s\", \"cycles\": %lld }", i ? "," : "", s.procs[i].name.c_str(), s.procs[i].end);
  std::fprintf(f, "\n  ],\n");
  std::fprintf(f, "  \"fifos\": [");
  for (std::size_t i = 0; i < s.fifos.size(); ++i) {
    const Fifo& q = s.fifos[i];
    std::fprintf(f, "%s\n    { \"name\": \"%s\", \"depth\": %ld, \"words\": %ld, \"maxOccupancy\": %ld, \"writerStallCycles\": %lld }", i ? "," : "", q.name.c_str(), q.depth, q.side[1].n, r.max_occ[i], r.stall[i]);
  }
  std::fprintf(f, "\n  ],\n");
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
#define LIC_PERF_TICK() lic_perf::tick()
// After LIC_PERF_WRITE: false when the dataflow replay deadlocked (the message went to stderr and perf.json).
#define LIC_PERF_REPLAY_OK() (lic_perf::st().deadlock.empty())
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
#define LIC_PERF_TICK() ((void)0)
#define LIC_PERF_REPLAY_OK() true
#define LIC_PERF_WRITE() true
#endif

// A pipeline's processes are traced (plain g++, sequential C simulation: the processes run one after another).
#if defined(LIC_PERF) && defined(LIC_PERF_STAGES) && !defined(LIC_THREADED_DATAFLOW) && !defined(LIC_HAVE_VITIS) && !defined(__SYNTHESIS__)
#undef LIC_PROCESS
#define LIC_PROCESS(...) { lic_perf::process_begin(#__VA_ARGS__); __VA_ARGS__; lic_perf::process_end(); }
#endif

#endif  // LIC_PERF_H
