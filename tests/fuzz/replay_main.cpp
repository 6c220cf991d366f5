// Runs a libFuzzer harness without libFuzzer: every seed file (or every file of a seed folder),
// then every prefix of it at a few cut points, so truncated input is exercised in every CI run.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::string& bytes) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  constexpr int kCuts = 16;
  for (int i = 0; i < kCuts; ++i) {
    std::string prefix = bytes.substr(0, bytes.size() * static_cast<std::size_t>(i) / kCuts);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(prefix.data()), prefix.size());
  }
}

int run_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", p.c_str());
    return 1;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  run(bytes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int failures = 0;
  std::size_t files = 0;
  run(std::string());
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
        if (!e.is_regular_file()) continue;
        failures += run_file(e.path());
        ++files;
      }
    } else {
      failures += run_file(p);
      ++files;
    }
  }
  std::printf("replayed %zu seed files\n", files);
  if (files == 0 && argc > 1) return 1;
  return failures == 0 ? 0 : 1;
}
