// Testbench helpers of a lic-dse HLS project: find data/, read the vectors lic-dse wrote, compare, report.
#ifndef LIC_TB_H
#define LIC_TB_H

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace lic_tb {

inline bool exists(const std::string& f) {
  std::ifstream s(f.c_str(), std::ios::binary);
  return s.good();
}

// The data directory: argv[1], else the first of data/, ./ (Vitis copies test-bench files next to the csim
// executable), ../data, ../../data, ... that holds `probe`.
inline std::string find_data(int argc, char** argv, const char* probe) {
  if (argc > 1) return std::string(argv[1]);
  const char* tries[] = {"data", ".", "../data", "../../data", "../../../data", "../../../../data", "../../../../../data", "../../../../../../data"};
  for (const char* t : tries) {
    if (exists(std::string(t) + "/" + probe)) return std::string(t);
  }
  return std::string("data");
}

inline std::vector<uint8_t> read_bytes(const std::string& file) {
  std::ifstream s(file.c_str(), std::ios::binary);
  if (!s.good()) {
    std::fprintf(stderr, "tb: cannot read %s\n", file.c_str());
    return std::vector<uint8_t>();
  }
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(s), std::istreambuf_iterator<char>());
}

// int8 values into dst (which must hold n); false if the file is missing or of the wrong size.
inline bool read_i8(const std::string& file, int8_t* dst, std::size_t n) {
  std::vector<uint8_t> b = read_bytes(file);
  if (b.size() != n) {
    std::fprintf(stderr, "tb: %s has %zu bytes, expected %zu\n", file.c_str(), b.size(), n);
    return false;
  }
  for (std::size_t i = 0; i < n; ++i) dst[i] = (int8_t)b[i];
  return true;
}

// Little-endian int32 values.
inline bool read_i32(const std::string& file, int32_t* dst, std::size_t n) {
  std::vector<uint8_t> b = read_bytes(file);
  if (b.size() != 4 * n) {
    std::fprintf(stderr, "tb: %s has %zu bytes, expected %zu\n", file.c_str(), b.size(), 4 * n);
    return false;
  }
  for (std::size_t i = 0; i < n; ++i) {
    uint32_t v = (uint32_t)b[4 * i] | ((uint32_t)b[4 * i + 1] << 8) | ((uint32_t)b[4 * i + 2] << 16) | ((uint32_t)b[4 * i + 3] << 24);
    dst[i] = (int32_t)v;
  }
  return true;
}

// Compare a C x H x W tensor with its golden file; print one line; return the number of mismatches.
inline long compare(const char* name, const std::string& file, const int8_t* got, int c, int h, int w) {
  const std::size_t n = (std::size_t)c * h * w;
  std::vector<int8_t> want(n);
  if (!read_i8(file, want.data(), n)) return (long)n;
  long bad = 0;
  std::size_t first = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (got[i] != want[i]) {
      if (bad == 0) first = i;
      ++bad;
    }
  }
  if (bad == 0) {
    std::printf("  %-32s %dx%dx%d  bit-exact\n", name, c, h, w);
  } else {
    const int x = (int)(first % w), y = (int)((first / w) % h), ch = (int)(first / ((std::size_t)w * h));
    std::printf("  %-32s %dx%dx%d  %ld mismatches, first at c=%d y=%d x=%d: got %d, want %d\n", name, c, h, w, bad, ch, y, x,
                (int)got[first], (int)want[first]);
  }
  return bad;
}

}  // namespace lic_tb

#endif  // LIC_TB_H
