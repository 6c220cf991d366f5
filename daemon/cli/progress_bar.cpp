#include "daemon/cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace patchparty::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fputs("\r\033[K", stderr);
}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  // Ten redraws a second are enough for a person and cheap for a parse loop.
  if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  if (total > 0 && done <= total) {
    int filled = static_cast<int>(kWidth * done / total);
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %.1f MB", label_.c_str(), filled,
                 "==============================", kWidth - filled, "",
                 static_cast<int>(100 * done / total), static_cast<double>(done) / 1e6);
  } else {
    std::fprintf(stderr, "\r%s %.1f MB", label_.c_str(), static_cast<double>(done) / 1e6);
  }
  std::fflush(stderr);
}

}  // namespace patchparty::cli
