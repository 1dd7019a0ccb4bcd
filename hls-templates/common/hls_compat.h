// Compatibility layer of a lic-dse HLS project: the same sources build with Vitis HLS and with plain g++.
// With the Vitis headers on the include path (csim, csynth, cosim) it uses hls::stream from <hls_stream.h> and
// emits the HLS pragmas; without them it provides a std::queue-backed hls::stream and drops the pragmas, so
// `g++ -std=c++17 -Wall -Werror` compiles the kernel and the testbench with nothing of Vitis installed.
#ifndef LIC_HLS_COMPAT_H
#define LIC_HLS_COMPAT_H

#include <cstdint>

#if defined(__has_include)
#if __has_include(<hls_stream.h>)
#define LIC_HAVE_VITIS 1
#endif
#endif

// LIC_PRAGMA(HLS PIPELINE II=1) becomes _Pragma("HLS PIPELINE II=1") after macro expansion of its argument,
// so pragma operands may name the constants of tiling.h / network.h. Define LIC_FORCE_PRAGMAS to expand them
// under plain g++ too (add -Wno-unknown-pragmas then).
#if defined(__SYNTHESIS__) || defined(LIC_HAVE_VITIS) || defined(LIC_FORCE_PRAGMAS)
#define LIC_PRAGMA_STR(x) #x
#define LIC_PRAGMA_EXP(x) LIC_PRAGMA_STR(x)
#define LIC_PRAGMA(x) _Pragma(LIC_PRAGMA_EXP(x))
#else
#define LIC_PRAGMA(x)
#endif

// Loop labels name loops in the synthesis reports; plain g++ would warn that nothing jumps to them.
#if defined(__SYNTHESIS__) || defined(LIC_HAVE_VITIS) || defined(LIC_FORCE_PRAGMAS)
#define LIC_LOOP(name) name:
#else
#define LIC_LOOP(name)
#endif

#if defined(LIC_HAVE_VITIS) || defined(__SYNTHESIS__)
#undef LIC_THREADED_DATAFLOW
#include <hls_stream.h>
#else
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace lic_compat {
// The words a stream holds in C simulation: a ring buffer that doubles when full. std::queue would instantiate
// dozens of std::deque functions for every stream word type, which is most of a small project's -O0 build.
template <typename T>
class ring {
 public:
  ring() = default;
  ring(const ring&) = delete;
  ring& operator=(const ring&) = delete;
  ~ring() { delete[] buf_; }
  bool empty() const { return n_ == 0; }
  std::size_t size() const { return n_; }
  void push(const T& v) {
    if (n_ == cap_) grow();
    buf_[(head_ + n_) & (cap_ - 1)] = v;
    ++n_;
  }
  T pop() {
    const T v = buf_[head_];
    head_ = (head_ + 1) & (cap_ - 1);
    --n_;
    return v;
  }

 private:
  void grow() {
    const std::size_t cap = cap_ ? 2 * cap_ : 8;  // a power of two, so that a position wraps with a mask
    T* b = new T[cap];
    for (std::size_t i = 0; i < n_; ++i) b[i] = buf_[(head_ + i) & (cap_ - 1)];
    delete[] buf_;
    buf_ = b;
    cap_ = cap;
    head_ = 0;
  }
  T* buf_ = nullptr;
  std::size_t cap_ = 0, head_ = 0, n_ = 0;
};
}  // namespace lic_compat
#endif

#if !defined(LIC_HAVE_VITIS) && !defined(__SYNTHESIS__) && !defined(LIC_THREADED_DATAFLOW)
#ifdef LIC_PERF
// `make perf` traces every stream's reads and writes (lic_perf.h, which defines these).
namespace lic_perf {
inline void fifo_event(int& id, const std::string& name, bool write);
inline void fifo_depth(int& id, const std::string& name, std::size_t depth);
}  // namespace lic_perf
#define LIC_STREAM_EVENT(write) lic_perf::fifo_event(perf_id_, name_, write)
#else
#define LIC_STREAM_EVENT(write) ((void)0)
#endif

namespace hls {
// The subset of hls::stream the kernels use. Unbounded, like Vitis' own C simulation of a stream (the processes
// of a DATAFLOW region run one after the other); reading an empty stream is a deadlock in hardware, so here it
// stops the simulation with the stream's name.
template <typename T>
class stream {
 public:
  stream() : name_("stream") {}
  explicit stream(const char* name) : name_(name) {}
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;
  void write(const T& v) {
    LIC_STREAM_EVENT(true);
    q_.push(v);
  }
  T read() {
    if (q_.empty()) {
      std::fprintf(stderr, "hls_compat: read from empty stream %s\n", name_.c_str());
      std::abort();
    }
    LIC_STREAM_EVENT(false);
    return q_.pop();
  }
  void read(T& v) { v = read(); }
  bool empty() const { return q_.empty(); }
  bool full() const { return false; }
  std::size_t size() const { return q_.size(); }
  // The depth matters only to `make perf`'s replay (lic_perf.h); this stream itself is unbounded.
#ifdef LIC_PERF
  void set_depth(std::size_t d) { lic_perf::fifo_depth(perf_id_, name_, d); }
#else
  void set_depth(std::size_t) {}
#endif

 private:
  lic_compat::ring<T> q_;
  std::string name_;
#ifdef LIC_PERF
  int perf_id_ = -1;
#endif
};
}  // namespace hls
#elif !defined(LIC_HAVE_VITIS) && !defined(__SYNTHESIS__)
// LIC_THREADED_DATAFLOW (plain g++ only, add -pthread): every process of a DATAFLOW region runs in its own thread
// and every stream holds at most its STREAM depth, as in hardware. A process blocks on a full or empty stream; when
// every live process is blocked the simulation stops and names the streams they wait on: the FIFO depths would
// deadlock the hardware too.
// Each stream has its own lock, so that processes on different streams do not wait for each other; the region's
// lock is taken only to start or end a process and to block (the deadlock check), always after a stream's lock.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace lic_df {
struct Wait {
  const void* s;
  bool (*ready)(const void*);  // reads only the stream's atomic count: called without the stream's lock
  const char* what;
  const std::string* name;
};
struct State {
  std::mutex m;
  int running = 0;
  int opening = 0;  // regions still starting their processes
  std::vector<Wait*> waits;
};
inline State& state() {
  static State s;
  return s;
}
// Called with the region's lock held: deadlock if every live process waits and none of their conditions holds. A
// registered process changes no stream before it takes this lock to leave the list, so what it reads is settled.
inline void check(State& st) {
  if (st.opening > 0 || st.running == 0 || (int)st.waits.size() < st.running) return;
  for (Wait* w : st.waits) {
    if (w->ready(w->s)) return;
  }
  std::fprintf(stderr, "hls_compat: dataflow deadlock, every process is blocked:\n");
  for (Wait* w : st.waits) std::fprintf(stderr, "  %s%s\n", w->what, w->name->c_str());
  std::fflush(stderr);
  std::abort();
}
// Called with the stream's lock held and its condition false; returns with it held and the condition true.
template <typename Ready>
void block(std::unique_lock<std::mutex>& lk, Wait& w, std::condition_variable& cv, Ready ready) {
  State& st = state();
  {
    std::lock_guard<std::mutex> g(st.m);
    st.waits.push_back(&w);
    check(st);
  }
  do cv.wait(lk);
  while (!ready());
  std::lock_guard<std::mutex> g(st.m);
  for (std::size_t i = 0; i < st.waits.size(); ++i) {
    if (st.waits[i] == &w) {
      st.waits.erase(st.waits.begin() + (long)i);
      break;
    }
  }
}
class Region {
 public:
  Region() {
    std::lock_guard<std::mutex> lk(state().m);
    ++state().opening;
  }
  // One thread per process; the process is kept behind a plain function pointer, so that the threads of every
  // process are one std::thread instantiation (a lambda type each would instantiate std::thread's machinery).
  template <typename F>
  void process(F f) {
    start(new F(f), &call<F>);
  }
  ~Region() {
    {
      std::lock_guard<std::mutex> lk(state().m);
      --state().opening;
      check(state());
    }
    for (std::thread& t : threads_) t.join();
  }

 private:
  template <typename F>
  static void call(void* p) {
    F* f = static_cast<F*>(p);
    (*f)();
    delete f;
  }
  static void body(void* p, void (*fn)(void*)) {
    fn(p);
    std::lock_guard<std::mutex> lk(state().m);
    --state().running;
    check(state());
  }
  void start(void* p, void (*fn)(void*)) {
    {
      std::lock_guard<std::mutex> lk(state().m);
      ++state().running;
    }
    threads_.emplace_back(&Region::body, p, fn);
  }
  std::vector<std::thread> threads_;
};
}  // namespace lic_df

namespace hls {
template <typename T>
class stream {
 public:
  stream() : name_("stream") {}
  explicit stream(const char* name) : name_(name) {}
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;
  void set_depth(std::size_t d) { depth_ = d < 1 ? 1 : d; }
  void write(const T& v) {
    std::unique_lock<std::mutex> lk(m_);
    if (q_.size() >= depth_) pause(lk);
    if (q_.size() >= depth_) {
      lic_df::Wait w{this, &can_write, "write to full stream ", &name_};
      ++waiting_;
      lic_df::block(lk, w, cv_, [this]() { return q_.size() < depth_; });
      --waiting_;
    }
    q_.push(v);
    count_.store(q_.size(), std::memory_order_relaxed);
    if (waiting_) cv_.notify_all();
  }
  T read() {
    std::unique_lock<std::mutex> lk(m_);
    if (q_.empty()) pause(lk);
    if (q_.empty()) {
      lic_df::Wait w{this, &can_read, "read from empty stream ", &name_};
      ++waiting_;
      lic_df::block(lk, w, cv_, [this]() { return !q_.empty(); });
      --waiting_;
    }
    const T v = q_.pop();
    count_.store(q_.size(), std::memory_order_relaxed);
    if (waiting_) cv_.notify_all();
    return v;
  }
  void read(T& v) { v = read(); }
  bool empty() {
    std::lock_guard<std::mutex> lk(m_);
    return q_.empty();
  }
  bool full() {
    std::lock_guard<std::mutex> lk(m_);
    return q_.size() >= depth_;
  }

 private:
  // Before sleeping on the stream, let the other processes run once: its partner usually frees it meanwhile, and
  // with FIFOs a few words deep a sleep and a wake-up per word would cost several times the simulation itself.
  static void pause(std::unique_lock<std::mutex>& lk) {
    lk.unlock();
    std::this_thread::yield();
    lk.lock();
  }
  static bool can_read(const void* p) { return static_cast<const stream*>(p)->count_.load(std::memory_order_relaxed) > 0; }
  static bool can_write(const void* p) {
    const stream* s = static_cast<const stream*>(p);
    return s->count_.load(std::memory_order_relaxed) < s->depth_;
  }
  lic_compat::ring<T> q_;
  std::atomic<std::size_t> count_{0};  // q_'s size, for another process's deadlock check
  std::mutex m_;
  std::condition_variable cv_;  // its reader or writer waits here
  int waiting_ = 0;
  std::size_t depth_ = (std::size_t)-1;
  std::string name_;
};
}  // namespace hls
#endif

// The processes of a DATAFLOW region: called in order (Vitis, C simulation) or one thread each with FIFOs of the
// emitted depths (LIC_THREADED_DATAFLOW).
#ifdef LIC_THREADED_DATAFLOW
#define LIC_DATAFLOW_BEGIN { lic_df::Region lic_region;
#define LIC_PROCESS(...) lic_region.process([&]() { __VA_ARGS__; });
#define LIC_DATAFLOW_END }
#define LIC_FIFO_DEPTH(s, d) s.set_depth(d);
#else
#define LIC_DATAFLOW_BEGIN
#define LIC_PROCESS(...) __VA_ARGS__;
#define LIC_DATAFLOW_END
#if defined(LIC_PERF) && !defined(LIC_HAVE_VITIS) && !defined(__SYNTHESIS__)
#define LIC_FIFO_DEPTH(s, d) s.set_depth(d);
#else
#define LIC_FIFO_DEPTH(s, d)
#endif
#endif

#endif  // LIC_HLS_COMPAT_H
