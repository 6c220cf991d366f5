#include "daemon/lifecycle/ingest_pipeline.h"

namespace patchparty::lifecycle {

IngestPipeline::IngestPipeline(Writer write, std::size_t capacity)
    : write_(std::move(write)), capacity_(capacity), thread_([this] { run(); }) {}

IngestPipeline::~IngestPipeline() {
  (void)finish();
}

Result<> IngestPipeline::push(Item&& item) {
  std::unique_lock lock(mu_);
  not_full_.wait(lock, [&] { return queue_.size() < capacity_ || error_ || closed_; });
  if (error_) return tl::make_unexpected(*error_);
  if (closed_) return fail(Errc::internal, "ingest pipeline: push after finish");
  queue_.push_back(std::move(item));
  not_empty_.notify_one();
  return {};
}

Result<> IngestPipeline::finish() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (error_) return tl::make_unexpected(*error_);
  return {};
}

void IngestPipeline::run() {
  for (;;) {
    Item item;
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
      if (queue_.empty()) return;  // closed and drained
      item = std::move(queue_.front());
      queue_.pop_front();
      not_full_.notify_one();
      if (error_) continue;  // drain without writing after a failure
    }
    auto r = write_(std::move(item));
    if (!r) {
      std::lock_guard lock(mu_);
      if (!error_) error_ = r.error();
      not_full_.notify_all();
    }
  }
}

}  // namespace patchparty::lifecycle
