// Parsing and SQLite writing overlap: the thread that parses a feed hands each record to one
// writer thread through a bounded queue, so an ingest costs about max(parse, write) rather than
// their sum, and memory stays bounded by the queue.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

#include "daemon/model.h"
#include "daemon/result.h"

namespace patchparty::lifecycle {

class IngestPipeline {
 public:
  using Item = std::variant<Advisory, KevEntry, EpssScore>;
  using Writer = std::function<Result<>(Item&&)>;

  // `write` runs on the pipeline's own thread, one item at a time, in push order.
  explicit IngestPipeline(Writer write, std::size_t capacity = 512);
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;
  ~IngestPipeline();

  // Blocks while the queue is full. Once the writer has failed, returns its error, so the parse
  // stops early.
  [[nodiscard]] Result<> push(Item&& item);
  // Waits until every pushed item is written and the thread has ended; the writer's first error.
  [[nodiscard]] Result<> finish();

 private:
  void run();

  Writer write_;
  std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<Item> queue_;
  bool closed_ = false;
  std::optional<Error> error_;
  std::thread thread_;
};

}  // namespace patchparty::lifecycle
