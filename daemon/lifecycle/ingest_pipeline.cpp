#include "daemon/lifecycle/ingest_pipeline.h"

#include <algorithm>

namespace patchparty::lifecycle {

namespace {
// Items change hands in batches: one wake-up per record cost more than writing the record when
// the machine was busy, because each one could preempt the parsing thread.
constexpr std::size_t kMaxBatch = 128;
}  // namespace

IngestPipeline::IngestPipeline(Writer write, std::size_t capacity)
    : write_(std::move(write)),
      capacity_(std::max<std::size_t>(capacity, 1)),
      batch_size_(std::clamp<std::size_t>(capacity / 4, 1, kMaxBatch)),
      thread_([this] { run(); }) {
  pending_.reserve(batch_size_);
}

IngestPipeline::~IngestPipeline() {
  (void)finish();
}

Result<> IngestPipeline::push(Item&& item) {
  if (finished_) return fail(Errc::internal, "ingest pipeline: push after finish");
  if (failed_.load(std::memory_order_relaxed)) {
    std::lock_guard lock(mu_);
    return tl::make_unexpected(*error_);
  }
  pending_.push_back(std::move(item));
  if (pending_.size() >= batch_size_) return flush();
  return {};
}

Result<> IngestPipeline::flush() {
  if (pending_.empty()) return {};
  std::unique_lock lock(mu_);
  not_full_.wait(lock, [&] { return queued_items_ < capacity_ || error_; });
  if (error_) return tl::make_unexpected(*error_);
  queued_items_ += pending_.size();
  queue_.push_back(std::move(pending_));
  pending_ = Batch();
  pending_.reserve(batch_size_);
  not_empty_.notify_one();
  return {};
}

Result<> IngestPipeline::finish() {
  finished_ = true;
  if (thread_.joinable()) {
    (void)flush();  // fails only with the writer's error, returned below
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
    thread_.join();
  }
  pending_.clear();
  if (error_) return tl::make_unexpected(*error_);
  return {};
}

void IngestPipeline::run() {
  std::vector<Batch> taken;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
      if (queue_.empty()) return;  // closed and drained
      taken.swap(queue_);
      queued_items_ = 0;
      not_full_.notify_one();
    }
    for (auto& batch : taken) {
      for (auto& item : batch) {
        if (failed_.load(std::memory_order_relaxed)) break;  // drop the rest after a failure
        auto r = write_(std::move(item));
        if (!r) {
          std::lock_guard lock(mu_);
          error_ = r.error();
          failed_.store(true, std::memory_order_relaxed);
          not_full_.notify_all();
        }
      }
    }
    taken.clear();
  }
}

}  // namespace patchparty::lifecycle
